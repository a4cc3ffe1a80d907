// Small form pieces the planning dialogs share: a labelled field with the server's message for it, a text (or date,
// or number) input that hands back its value, and a select of options.
import type { InputHTMLAttributes, ReactNode } from "react";

/** A field: its label, the control, the message the server gave for it (if any), and a hint under it. */
export function FormField({
  label,
  error,
  hint,
  className,
  children,
}: {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  /** Classes beside `form-field`, such as `form-field-grow`. */
  className?: string;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes as children
    <label className={className ? `form-field ${className}` : "form-field"}>
      <span>{label}</span>
      {children}
      {error && <span className="field-error">{error}</span>}
      {hint && <span className="hint">{hint}</span>}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> & {
  value: string;
  onChange: (value: string) => void;
  testId?: string;
};

/** An input (class `input`, or `input input-number` for numbers) that hands back its text. */
export function Input({ value, onChange, testId, type, className, ...rest }: InputProps) {
  return (
    <input
      className={className ?? (type === "number" ? "input input-number" : "input")}
      type={type}
      {...rest}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  );
}

/** A select of `options`, after any given as children (such as an empty choice). */
export function Select<T extends string>({
  value,
  onChange,
  options,
  className = "input",
  testId,
  children,
}: {
  value: T;
  onChange: (value: T) => void;
  options: readonly { value: T; label: ReactNode }[];
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <select className={className} value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
      {children}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

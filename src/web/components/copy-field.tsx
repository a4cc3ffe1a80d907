// A secret or link shown once, in a read-only box with a Copy button.
import { useRef, useState } from "react";

export function CopyField({ value, label, testId }: { value: string; label: string; testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard permission (e.g. over plain http): select the text so Ctrl+C copies it.
      input.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2_000);
  };
  return (
    <div className="copy-field">
      <input
        ref={input}
        className="input input-key"
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
        data-testid={testId}
      />
      <button type="button" className="button" onClick={() => void copy()} data-testid={`${testId}-copy`}>
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

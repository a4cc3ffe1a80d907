// Markdown on screen: a sanitized view, and an editor with Write and Preview tabs.
import { useId, useLayoutEffect, useRef, useState } from "react";
import { renderMarkdown } from "../lib/markdown";

export function Markdown({ source, className, testId }: { source: string; className?: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.replaceChildren(renderMarkdown(source));
  }, [source]);
  return <div ref={ref} className={`markdown ${className ?? ""}`} data-testid={testId} />;
}

interface EditorProps {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  maxLength: number;
  testId: string;
  invalid?: boolean;
  describedBy?: string | undefined;
}

export function MarkdownEditor(props: EditorProps) {
  const [preview, setPreview] = useState(false);
  const tabs = useId();
  return (
    <div className="md-editor">
      <div className="md-tabs" role="tablist" aria-label="Description editor">
        <button
          type="button"
          role="tab"
          aria-selected={!preview}
          aria-controls={`${tabs}-panel`}
          className={preview ? "" : "is-active"}
          onClick={() => setPreview(false)}
        >
          Write
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={preview}
          aria-controls={`${tabs}-panel`}
          className={preview ? "is-active" : ""}
          onClick={() => setPreview(true)}
          data-testid={`${props.testId}-preview-tab`}
        >
          Preview
        </button>
        <span className="md-hint">Markdown</span>
      </div>
      <div id={`${tabs}-panel`} role="tabpanel">
        {preview ? (
          props.value.trim() ? (
            <Markdown source={props.value} className="md-preview" testId={`${props.testId}-preview`} />
          ) : (
            <p className="muted md-preview">Nothing to preview.</p>
          )
        ) : (
          <textarea
            id={props.id}
            className="input textarea"
            value={props.value}
            maxLength={props.maxLength}
            placeholder={props.placeholder}
            onChange={(e) => props.onChange(e.target.value)}
            aria-invalid={props.invalid || undefined}
            aria-describedby={props.describedBy}
            data-testid={props.testId}
            rows={5}
          />
        )}
      </div>
    </div>
  );
}

// Markdown (descriptions, comments) to safe DOM: marked renders, DOMPurify removes anything executable. The result is
// a DOM fragment, never an HTML string put into the page.
import DOMPurify from "dompurify";
import { marked } from "marked";

let hooked = false;

export function renderMarkdown(source: string): DocumentFragment {
  if (!hooked) {
    // Links open in a new tab and do not hand the opener to the page they open.
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName === "A" && node.getAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    });
    hooked = true;
  }
  const html = marked.parse(source, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html, { RETURN_DOM_FRAGMENT: true });
}

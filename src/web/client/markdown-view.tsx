/** Renders model markdown through the sanitiser; the only place the page writes HTML. */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { renderMarkdown } from './markdown.js';

export function MarkdownView(props: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    // TrustedHTML is accepted by innerHTML where Trusted Types are enforced; elsewhere it is the sanitised string.
    if (ref.current) ref.current.innerHTML = renderMarkdown(props.text) as unknown as string;
  }, [props.text]);
  return <div class="markdown" ref={ref} />;
}

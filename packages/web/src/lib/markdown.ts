import MarkdownIt from "markdown-it";

// The same settings as the help center's renderer (packages/server/src/channels/kb/markdown.ts), so an
// admin's preview is what customers see: raw HTML shown as text; javascript:, vbscript:, file: and data:
// links refused by markdown-it's validateLink.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const renderLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "nofollow noopener noreferrer");
  return renderLinkOpen(tokens, idx, options, env, self);
};

/** An article's Markdown as safe HTML, as the help center renders it. */
export function renderArticleMarkdown(source: string): string {
  return md.render(source);
}

import MarkdownIt from "markdown-it";

// The help center's Markdown, in one place for the server (articles as customers see them, their words
// for search) and the web app (the admin editor's preview), so a preview is what customers see.
// Imported by subpath (`@eskala/contracts/markdown`), so the web app loads it with the editor alone.
// html: false escapes raw HTML in articles; markdown-it's validateLink refuses javascript:, vbscript:, file: and data: links.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const renderLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "nofollow noopener noreferrer");
  return renderLinkOpen(tokens, idx, options, env, self);
};

/** An article's Markdown as safe HTML for the help center. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The words of an article's Markdown without its syntax: what search indexes and snippets show. */
export function markdownToText(source: string): string {
  const blocks: string[] = [];
  for (const token of md.parse(source, {})) {
    if (token.type === "inline") {
      const words = (token.children ?? [])
        .map((c) =>
          c.type === "text" || c.type === "code_inline"
            ? c.content
            : c.type === "softbreak" || c.type === "hardbreak"
              ? " "
              : "",
        )
        .join("");
      if (words.trim()) blocks.push(words.trim());
    } else if ((token.type === "fence" || token.type === "code_block") && token.content.trim()) {
      blocks.push(token.content.trim());
    }
  }
  return blocks.join("\n");
}

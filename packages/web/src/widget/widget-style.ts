/** The widget's styles, inside its shadow root: the host page's CSS does not reach in, nor ours out. */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; }
[hidden] { display: none !important; }
button { cursor: pointer; border: 0; border-radius: 6px; padding: 6px 10px; background: #1f5fbf; color: #fff; }
button:focus-visible, a:focus-visible, textarea:focus-visible, input:focus-visible { outline: 2px solid #f2a900; outline-offset: 2px; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; padding: 12px 18px; border-radius: 24px; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
.panel { position: fixed; right: 20px; bottom: 76px; z-index: 2147483000; width: min(360px, calc(100vw - 40px)); max-height: min(560px, calc(100vh - 100px)); display: flex; flex-direction: column; gap: 8px; padding: 12px; background: #fff; color: #1b1b1b; border-radius: 10px; box-shadow: 0 4px 20px rgba(0,0,0,.25); }
header { display: flex; justify-content: space-between; align-items: center; font-weight: 600; }
.close { background: transparent; color: #444; font-size: 20px; padding: 0 6px; }
.intro { display: flex; flex-direction: column; gap: 6px; }
.intro p { margin: 0; color: #333; }
input, textarea { width: 100%; padding: 6px 8px; border: 1px solid #999; border-radius: 6px; color: #1b1b1b; background: #fff; resize: vertical; }
.log { overflow-y: auto; display: flex; flex-direction: column; gap: 8px; min-height: 80px; }
.line { padding: 6px 8px; border-radius: 8px; background: #f1f3f6; max-width: 92%; }
.line.visitor { align-self: flex-end; background: #dfeafc; }
.line.agent { background: #e6f4ea; }
.line b { display: block; font-size: 12px; color: #555; }
.line p { margin: 2px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.articles { margin: 6px 0 0; padding-left: 18px; }
.articles a { color: #1f5fbf; }
.articles small { display: block; color: #444; }
.feedback { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
.talk { align-self: flex-start; background: #fff; color: #1f5fbf; border: 1px solid #1f5fbf; }
.status { margin: 0; color: #333; font-style: italic; }
.status:empty, .error:empty { display: none; }
.error { margin: 0; color: #a40000; }
.composer { display: flex; gap: 6px; align-items: flex-end; }
`;

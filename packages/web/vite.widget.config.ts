import { defineConfig } from "vite";

// The chat widget (src/widget/widget.ts): one self-contained script, no framework, served by the
// server at /widget.js from dist/widget/. Built after the app (whose build empties dist/).
export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist/widget",
    emptyOutDir: false,
    sourcemap: false,
    target: "es2020",
    minify: true,
    lib: {
      entry: "src/widget/widget.ts",
      formats: ["iife"],
      name: "EskalaChat",
      fileName: () => "widget.js",
    },
  },
});

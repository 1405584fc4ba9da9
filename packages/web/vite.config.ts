import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The server serves dist/ at "/", with the SPA fallback for /app/* and /portal/*.
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    // Libraries in their own chunk, cached across releases; admin, board and portal load lazily.
    rolldownOptions: {
      output: {
        advancedChunks: {
          groups: [
            // What every screen needs (React, the router, queries, i18n): one cached chunk. A group
            // takes the modules its members import too, so React is named here first: otherwise the
            // charts group took it and every first load fetched Chart.js.
            {
              name: "vendor",
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next|use-sync-external-store|cookie|set-cookie-parser)[\\/]/,
              priority: 3,
            },
            // Chart.js is for the review page alone: its own chunk, loaded with that page.
            { name: "charts", test: /node_modules[\\/](chart\.js|react-chartjs-2|@kurkle)[\\/]/, priority: 2 },
            // markdown-it (and contracts' markdown.ts, its settings) is for the help-center editor's
            // preview alone: loaded with the admin screens.
            {
              name: "markdown",
              test: /node_modules[\\/](markdown-it|linkify-it|mdurl|uc\.micro|entities|punycode\.js)[\\/]|contracts[\\/]src[\\/]markdown\.ts$/,
              priority: 2,
            },
            { name: "shared", test: /src[\\/](ui|lib|features[\\/](ticket|console|auth))[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { "/api": { target: "http://localhost:3000", changeOrigin: false } },
  },
});

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
            { name: "vendor", test: /node_modules/ },
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

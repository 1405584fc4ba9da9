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
            // Chart.js is for the review page alone: its own chunk, loaded with that page, not in vendor.
            { name: "charts", test: /node_modules[\\/](chart\.js|react-chartjs-2|@kurkle)[\\/]/, priority: 1 },
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

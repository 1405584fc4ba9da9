import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ApiError } from "./lib/api.ts";
import { setupI18n } from "./lib/i18n.ts";
import { App } from "./App.tsx";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/console.css";
import "./styles/ticket.css";
import "./styles/thread.css";
import "./styles/board.css";
import "./styles/admin.css";
import "./styles/portal.css";
// Last: the frame and its tablet overrides of the panes above.
import "./styles/shell.css";

setupI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      // Retry only when the server could not be reached; a 4xx will not get better by asking again.
      retry: (count, err) => err instanceof ApiError && (err.isNetwork || err.status >= 500) && count < 3,
    },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

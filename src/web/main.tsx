// The web app's entry: one query client for the server's data, and the app.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { captureLinkSecret } from "./components/sign-in-pages";
import { ApiError } from "./lib/api";
import "./styles.css";

// A password link's secret rides in the URL's fragment: take it out before anything else runs.
captureLinkSecret();

const client = new QueryClient({
  defaultOptions: {
    // Live updates (server-sent events) keep data fresh; refetching on focus would only add noise.
    // A refusal (401, 403, 404) stays a refusal; only other failures are worth one more try.
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}

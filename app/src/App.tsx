import { Suspense } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Link, Route, Switch } from "wouter";
import { LiveProvider } from "./api/live";
import { NodeProblemError } from "./api/node";
import { I18nProvider, useT } from "./i18n";
import { routes } from "./pages";
import { Layout } from "./ui/Layout";
import { PageTitle } from "./ui/PageTitle";
import { Loading } from "./ui/States";
import { WalletProvider } from "./wallet/session";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live updates refetch what changed; no refetch merely because a window regained focus.
      refetchOnWindowFocus: false,
      staleTime: 10_000,
      // A 4xx from the node is an answer (not found, invalid parameter), not a hiccup worth retrying.
      retry: (count, error) => count < 2 && !(error instanceof NodeProblemError && error.status >= 400 && error.status < 500),
    },
  },
});

function NotFound() {
  const t = useT();
  return (
    <>
      <PageTitle title={t("common.notFoundTitle")}>{t("common.notFoundTitle")}</PageTitle>
      <p>{t("common.notFoundBody")}</p>
      <p>
        <Link href="/">{t("common.backHome")}</Link>
      </p>
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <LiveProvider>
          <WalletProvider>
            <Layout>
              <Suspense fallback={<Loading />}>
                <Switch>
                  {routes.map((route) => (
                    <Route key={route.path} path={route.path} component={route.component} />
                  ))}
                  <Route component={NotFound} />
                </Switch>
              </Suspense>
            </Layout>
          </WalletProvider>
        </LiveProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}

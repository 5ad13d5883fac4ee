import { useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";

export default function DashboardPage() {
  const t = useT();
  return <PageTitle title={t("dashboard.title")}>{t("dashboard.title")}</PageTitle>;
}

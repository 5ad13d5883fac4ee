import { useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";

export default function LogPage() {
  const t = useT();
  return <PageTitle title={t("log.title")}>{t("log.title")}</PageTitle>;
}

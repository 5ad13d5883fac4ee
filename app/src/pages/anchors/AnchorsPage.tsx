import { useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";

export default function AnchorsPage() {
  const t = useT();
  return <PageTitle title={t("anchors.title")}>{t("anchors.title")}</PageTitle>;
}

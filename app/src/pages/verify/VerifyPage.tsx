import { useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";

export default function VerifyPage() {
  const t = useT();
  return <PageTitle title={t("verify.title")}>{t("verify.title")}</PageTitle>;
}

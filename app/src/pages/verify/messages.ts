import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Verify", title: "Verify in your browser" },
  fr: { nav: "Vérifier", title: "Vérifier dans votre navigateur" },
});

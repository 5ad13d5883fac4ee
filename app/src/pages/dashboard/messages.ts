import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Dashboard", title: "City dashboard" },
  fr: { nav: "Tableau de bord", title: "Tableau de bord" },
});

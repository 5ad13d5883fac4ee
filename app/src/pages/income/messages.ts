import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Income", title: "Basic income programs", placeholder: "This page is being built." },
  fr: { nav: "Revenu de base", title: "Les programmes de revenu de base", placeholder: "Cette page est en construction." },
});

import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Budget", title: "Participatory budget rounds", placeholder: "This page is being built." },
  fr: { nav: "Budget participatif", title: "Les budgets participatifs", placeholder: "Cette page est en construction." },
});

import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Governance", title: "The charter and proposals", placeholder: "This page is being built." },
  fr: { nav: "Gouvernance", title: "La charte et les propositions", placeholder: "Cette page est en construction." },
});

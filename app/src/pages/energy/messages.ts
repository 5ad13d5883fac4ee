import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Energy", title: "The local energy market", placeholder: "This page is being built." },
  fr: { nav: "Énergie", title: "Le marché local de l'énergie", placeholder: "Cette page est en construction." },
});

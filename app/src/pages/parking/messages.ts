import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Parking", title: "Shared parking spots", placeholder: "This page is being built." },
  fr: { nav: "Stationnement", title: "Les places de stationnement partagées", placeholder: "Cette page est en construction." },
});

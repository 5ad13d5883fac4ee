import { defineMessages } from "../../i18n/define";

export default defineMessages({
  en: { nav: "Votes", title: "Ballots and their results", placeholder: "This page is being built." },
  fr: { nav: "Votes", title: "Les scrutins et leurs résultats", placeholder: "Cette page est en construction." },
});

"""One short news-like text about a new park in English, German, Spanish and French: the
same facts in each language, for tests of questions and the quiz."""

TEXTS = {
    "English": (
        "The town opened a large new park on Saturday morning. Hundreds of families gathered "
        "near the fountain to celebrate. The mayor praised the volunteers who planted "
        "thousands of trees. She said the park would reduce flooding and improve the "
        "neighbourhood.\n\nEngineers designed wetlands that absorb heavy rain. Residents hope "
        "the project will attract visitors and support local businesses. Children played on "
        "the grass while their parents listened to music. The council promised to open two "
        "more parks next year."
    ),
    "German": (
        "Die Stadt hat am Samstag einen großen neuen Park eröffnet. Hunderte Familien "
        "versammelten sich am Brunnen, um zu feiern. Die Bürgermeisterin lobte die "
        "Freiwilligen, die tausende Bäume gepflanzt haben. Sie sagte, der Park werde "
        "Überschwemmungen verringern und das Viertel verbessern.\n\nIngenieure haben "
        "Feuchtgebiete entworfen, die starken Regen aufnehmen. Die Bewohner hoffen, dass das "
        "Projekt Besucher anzieht und lokale Geschäfte unterstützt. Kinder spielten auf der "
        "Wiese, während ihre Eltern Musik hörten. Der Gemeinderat versprach, im nächsten Jahr "
        "zwei weitere Parks zu eröffnen."
    ),
    "Spanish": (
        "La ciudad inauguró un gran parque nuevo el sábado por la mañana. Cientos de familias "
        "se reunieron cerca de la fuente para celebrar. La alcaldesa elogió a los voluntarios "
        "que plantaron miles de árboles. Dijo que el parque reduciría las inundaciones y "
        "mejoraría el barrio.\n\nLos ingenieros diseñaron humedales que absorben la lluvia "
        "intensa. Los vecinos esperan que el proyecto atraiga visitantes y apoye a los "
        "comercios locales. Los niños jugaron en el césped mientras sus padres escuchaban "
        "música. El ayuntamiento prometió abrir dos parques más el próximo año."
    ),
    "French": (
        "La ville a inauguré un grand parc samedi matin. Des centaines de familles se sont "
        "rassemblées près de la fontaine pour célébrer. La maire a félicité les bénévoles qui "
        "ont planté des milliers d'arbres. Elle a dit que le parc réduirait les inondations "
        "et améliorerait le quartier.\n\nDes ingénieurs ont conçu des zones humides qui "
        "absorbent les fortes pluies. Les habitants espèrent que le projet attirera des "
        "visiteurs et soutiendra les commerces locaux. Les enfants ont joué sur l'herbe "
        "pendant que leurs parents écoutaient de la musique. Le conseil municipal a promis "
        "d'ouvrir deux autres parcs l'année prochaine."
    ),
}

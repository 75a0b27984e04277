"""Salutations as a letter in the contact's language needs them.

A Czech letter greets in the vocative and in the contact's gender: "Vážený
pane Veselý", "Vážená paní Veselá", "Ahoj Radime", "Ahoj Jano". The rules below
cover the Czech names the demo data uses; names they do not know keep the
nominative, which a reader still understands.
"""

# Vocatives no rule below gives.
IRREGULAR = {
    "Němec": "Němče",
    "Moravec": "Moravče",
    "Peter": "Petře",
    "Alexander": "Alexandře",
    "Horváth": "Horváthe",
}
# Names that drop the e of -el (Pavel → Pavle); other -el names add -i (Daniel → Danieli).
FLEETING_E = {"Pavel", "Karel", "Havel"}
SOFTENED = {"n": "ň", "d": "ď", "t": "ť"}
SOFT_ENDINGS = tuple("šžčřcjsxzďťň")
UNCHANGED_ENDINGS = tuple("íýoéeiu")


def czech_vocative(name: str, *, female: bool = False) -> str:
    """The vocative of a Czech first name or surname."""
    if female:
        # Jana → Jano; Marie, Dagmar and every -á/-ová surname stay as they are.
        return name[:-1] + "o" if name.endswith("a") else name
    if name in IRREGULAR:
        return IRREGULAR[name]
    if name in FLEETING_E:
        return name[:-2] + "le"
    if name.endswith("ěk"):
        stem = name[:-2]
        return stem[:-1] + SOFTENED.get(stem[-1], stem[-1]) + "ku"
    if name.endswith("ek"):
        return name[:-2] + "ku"
    if name.endswith("el"):
        return name + "i"
    if name.endswith(("k", "h", "g")):
        return name + "u"
    if name.endswith(UNCHANGED_ENDINGS):
        return name
    if name.endswith("a"):
        return name[:-1] + "o"
    if name.endswith("r") and name[-2:-1] not in "aeiouyáéíóúýě":
        return name[:-1] + "ře"
    if name.endswith(SOFT_ENDINGS):
        return name + "i"
    return name + "e"


def salutations(
    language: str, *, female: bool, first: str, last: str
) -> tuple[str, str]:
    """The formal and informal salutation of a person, in `language`."""
    if language == "cs":
        if female:
            return f"Vážená paní {last}", f"Ahoj {czech_vocative(first, female=True)}"
        return f"Vážený pane {czech_vocative(last)}", f"Ahoj {czech_vocative(first)}"
    if language == "sv":
        return f"{'Bästa' if female else 'Bäste'} {first} {last}", f"Hej {first}"
    if language == "fr":
        return (
            f"{'Chère Madame' if female else 'Cher Monsieur'} {last},",
            f"Bonjour {first}",
        )
    return f"Dear {first} {last}", f"Hi {first}"

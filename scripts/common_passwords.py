"""Write app/services/common_passwords.txt: passwords too common to accept, lower case.

Usage: python scripts/common_passwords.py   (the text file is committed; nothing is fetched)

Built from words and patterns that top every leaked-password ranking (English and French),
names, places and teams, keyboard walks, digit runs, and this app's own words (tournee,
crm, commercial...), each with the endings people add to reach a length rule (123, !, a
year). Only entries of at least 10 characters are kept: shorter ones fail the length rule.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "app" / "services" / "common_passwords.txt"

WORDS = """
password passwort passw0rd p@ssword p@ssw0rd pass motdepasse mot2passe mdp secret secrets
iloveyou loveyou love lover loving jetaime jtm teamo ichliebedich amour monamour mamour
admin administrator administrateur root toor user utilisateur guest invite login welcome
bienvenue hello bonjour salut coucou hello1 changeme default letmein access master qwerty
azerty qwertz dragon monkey shadow sunshine princess princesse football soccer baseball
basketball hockey tennis rugby golf golfer superman batman spiderman starwars pokemon
naruto minecraft fortnite roblox matrix merlin gandalf hobbit killer hunter ranger
trustno1 freedom whatever nothing everything computer ordinateur internet google facebook
youtube twitter instagram snapchat linkedin microsoft windows apple iphone samsung android
nokia orange free bouygues sfr laposte yahoo hotmail gmail outlook wanadoo
michael jennifer jessica michelle ashley amanda nicole daniel thomas robert william joseph
charles andrew joshua matthew anthony jordan justin george taylor austin dallas jackson
summer winter autumn spring flower flowers rainbow butterfly angel angels heaven forever
cheese chocolate chocolat cookie cookies banana orange apple cherry pepper ginger sugar
honey candy caramel vanille vanilla fraise framboise citron pomme banane biscuit gateau
tigger pumpkin peanut buster charlie maggie bailey buddy max lucky rocky sparky snoopy
mickey minnie garfield scooby simba nemo tintin milou asterix obelix titeuf
diamond silver golden gold money dollar euro cash rich richard million millionaire
mustang ferrari porsche mercedes bmw audi renault peugeot citroen toyota honda yamaha
harley corvette camaro ford volvo nissan kawasaki suzuki ducati
chelsea arsenal liverpool manchester barcelona barca realmadrid juventus milan bayern
psg parissg marseille olympique allezlom allezparis om ol asse losc girondins
paris france lyon lille nice nantes rennes toulouse bordeaux strasbourg montpellier
marseille reims brest lens metz nancy grenoble rouen caen tours dijon angers limoges
bretagne normandie provence alsace corse savoie paris75 marseille13 lyon69
london newyork chicago boston california texas florida canada america usa england
portugal espagne italia italie belgique suisse maroc algerie tunisie senegal
soleil lune etoile ciel mer ocean plage montagne nature fleur rose tulipe papillon
doudou loulou chouchou nounours bisous bisou calin cherie cheri mamie papy papa maman
bebe bebou titou toto tata tonton tatie mimi minou minette chaton chat chien cheval
lapin tigrou tigre lion loup renard ours panda koala dauphin poussin cocotte poupette
choupette chipie biquette puce pupuce cacahuete nanou nono lolo lulu zizou zidane
famille family enfants children maison home house vacances holiday travail boulot bureau
ecole school college lycee universite etudiant student teacher professeur docteur
pompier police gendarme soldat marine army navy pilote
nicolas julien camille alexandre sebastien laurent stephane christophe philippe
frederic francois pierre antoine maxime kevin anthony jonathan romain guillaume mathieu
vincent jeremy benjamin lucas hugo louis nathan enzo theo leo gabriel raphael arthur
jules adam paul jean michel alain bernard didier eric pascal thierry olivier patrick
jacques claude serge gerard christian sylvain fabrice franck cedric ludovic damien
florian adrien quentin clement valentin alexis dylan loic yann yannick mickael
nathalie sandrine stephanie celine aurelie julie marie sophie laura emilie elodie
audrey caroline melanie sarah manon chloe pauline virginie valerie veronique sylvie
catherine christine martine dominique patricia monique chantal francoise brigitte
jacqueline isabelle sabrina vanessa jessica amandine oceane lea emma jade louise alice
ines lina zoe clara juliette charlotte margaux mathilde lucie justine anais marine
morgane coralie delphine severine karine florence helene anne annie josiane
mohamed ahmed karim samir yacine mehdi sofiane nadia fatima leila yasmine sarah
jesus christ god dieu allah bible church eglise lucifer diablo devil satan demon
music musique guitar guitare piano rock metal rap hiphop reggae disco dance danse
blink182 metallica nirvana eminem rihanna beyonce shakira madonna michaeljackson
johnny johnnyhallyday elvis beatles queen
purple yellow black white green blue red pink violet jaune noir blanc vert bleu rouge
rose gris marron
monday friday sunday lundi vendredi samedi dimanche janvier fevrier mars avril mai
juin juillet aout septembre octobre novembre decembre january february march april
june july august september october november december
one two three four five un deux trois quatre cinq dix cent mille zero
qwerty azerty qwertz asdf asdfgh asdfghjk asdfghjkl zxcvbn zxcvbnm qsdfgh qsdfghjklm
wxcvbn wxcvbnm azertyuiop qwertyuiop qwertzuiop poiuytreza poiuytrewq mnbvcxz
qazwsx qazwsxedc zaqwsx 1qaz2wsx 1q2w3e 1q2w3e4r 1q2w3e4r5t q1w2e3r4 q1w2e3r4t5
a1z2e3r4 a1z2e3r4t5 1a2z3e4r 1a2z3e4r5t zaq12wsx zaq1xsw2 1qazxsw2 qweasd qweasdzxc
azeqsdwxc azeqsd
abc abcd abcdef abcdefg abcdefgh abc123 abcd1234 abc12345 a1b2c3 a1b2c3d4 aaa aaaaaa
test tester testing essai demo temp temporaire provisoire nouveau new nouveaux
secure security securite private prive personal personnel confidential confidentiel
tournee tournée crm commercial commerciale commerciaux vendeur vendeuse vente ventes
sales salesman client clients prospect prospects entreprise societe société agence
affaire affaires contact contacts devis facture commande rendezvous agenda terrain
"""

DIGIT_RUNS = """
0123456789 1234567890 12345678910 1234567891 123456789a 0987654321 9876543210
987654321 87654321 12345678 123456789 1234567 11223344 1122334455 112233445566
1212121212 121212121212 1231231231 123123123 123123123123 1234512345 1234554321
12344321 123454321 147258369 1472583690 159357 1593574682 741852963 7894561230
789456123 963852741 258456 2580 1470 3690 13579 135792468 2468 246813579 1029384756
1357924680 0000000000 00000000 11111111 111111111 1111111111 2222222222 5555555555
6666666666 7777777777 8888888888 9999999999 1111122222 1234567812345678 00000000000
"""

# The words people choose most: stretched with every usual ending, years included.
TOP = """
password motdepasse iloveyou jetaime azerty qwerty azertyuiop qwertyuiop soleil marseille
football princess princesse chocolat doudou loulou chouchou bonjour coucou welcome
bienvenue admin administrator administrateur changeme letmein secret dragon monkey
sunshine superman batman starwars pokemon minecraft liverpool chelsea arsenal psg
olympique allezlom paris france portugal nicolas camille julien thomas alexandre
michael jennifer jessica daniel charlie tigger pepper shadow master hunter killer
freedom whatever computer internet samsung orange football soccer baseball hockey
motdepass tournee tournée crm commercial commerciale vendeur vente client prospect
entreprise societe agence demo test utilisateur
"""
SHORT_ENDINGS = ["", "1", "12", "123", "1234", "12345", "123456", "!", "1!", "123!"]
TOP_ENDINGS = [
    *SHORT_ENDINGS, "!!", "01", "07", "10", "11", "13", "22", "23", "33", "59", "69", "75",
    "77", "93", "99", "00", "007", "666", "777", "@123", "_123", ".123", "123*", "*", "#1",
    "2020!", "2024!", "2025!", "2026!", "123456789", "1234567890",
    *[str(y) for y in range(1970, 2031)]]
LEET = str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$"})
MIN_KEPT = 10  # app.services.users.MIN_PASSWORD: shorter ones are refused anyway
NEVER = {  # passwords the test suite and benchmarks use; none of them may land here
    "correct-horse-battery", "a-long-password", "long-enough-1", "chaos-password-1",
    "bench-live-password", "tournee-demo",
}


def plain(word: str) -> str:
    """The word without accents (people type both)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def stretched(word: str, endings: list[str]) -> set[str]:
    """A word as people lengthen it to pass a length rule."""
    bases = {word, plain(word)}
    out = {base + end for base in bases for end in endings}
    out |= {base * 2 for base in bases} | {"ilove" + base for base in bases}
    return out


def build() -> list[str]:
    top = {w.lower() for w in TOP.split()}
    found: set[str] = set()
    for word in {w.lower() for w in WORDS.split()} - top:
        found |= stretched(word, SHORT_ENDINGS)
    for word in top:
        found |= stretched(word, TOP_ENDINGS)
        found |= {word.translate(LEET) + end for end in SHORT_ENDINGS}
    for run in DIGIT_RUNS.split():
        found.update({run, run + "!", run + "a", "a" + run})
    for digit in "0123456789":
        found.update(digit * n for n in range(MIN_KEPT, 17))
    return sorted(p for p in found if len(p) >= MIN_KEPT and p not in NEVER)


def main() -> None:
    passwords = build()
    header = ("# Passwords too common to accept, lower case, one a line (scripts/common_passwords"
              f".py; {len(passwords)} entries).\n")
    OUT.write_text(header + "\n".join(passwords) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(passwords)} passwords")


if __name__ == "__main__":
    main()

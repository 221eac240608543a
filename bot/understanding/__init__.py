"""The understanding pass: everything one message carries, read whole, at any step.

The dialogue asks one question at a time, but people answer several at once ("ich möchte
bei der Feuerwehr helfen, wohne in Hohenprießnitz, abends"). `Understander.read(text)`
returns a `Reading`: what the person wants (a start-menu option's `value`, learnt from the
example phrasings in content/intents.yaml plus the menu synonyms in content/dialog.yaml) and
every slot found (interests, place, travel distance, one-off/regular, time slots, yes/no,
a chosen item, navigation, a question, the language, and for need-help the kind of help).

Channel-free: nothing here knows Telegram or the web; the dialogue engine decides what to
do with a reading. `lotse understand TEXT…` shows what is read from a first message, and
`lotse eval FILE` scores it on an `openers:` section (bot/evaluation/openers.py).
"""

from bot.understanding.reading import Reading
from bot.understanding.understander import Understander

__all__ = ["Reading", "Understander"]

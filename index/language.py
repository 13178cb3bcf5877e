"""Language identification with langdetect, made deterministic.

langdetect samples at random; a fixed seed on a private factory makes the
same text always give the same answer, without touching langdetect's global
state. The answer is an ISO 639-1 code, or ``und`` when the text is too short
or the best guess is not confident.
"""

from __future__ import annotations

import threading

__all__ = ["detect_language", "UNDETERMINED"]

UNDETERMINED = "und"
_SAMPLE_CHARS = 2000
_MIN_LETTERS = 20
_MIN_PROBABILITY = 0.80

_factory = None
_lock = threading.Lock()


def _get_factory():
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.set_seed(0)
            _factory = factory
    return _factory


def detect_language(text: str) -> str:
    """The language code of ``text`` (``vi``, ``en``, ...) or ``und``."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return UNDETERMINED
    from langdetect.lang_detect_exception import LangDetectException

    detector = _get_factory().create()
    detector.append(sample)
    try:
        best = max(detector.get_probabilities(), key=lambda p: p.prob, default=None)
    except LangDetectException:
        return UNDETERMINED
    if best is None or best.prob < _MIN_PROBABILITY:
        return UNDETERMINED
    return best.lang

"""Text made safe for a file name: one rule for every download's name (obc_calc.core.limits.file_slug)."""

import pytest

from obc_calc.core.limits import file_slug


@pytest.mark.parametrize("text, separator, slug", [
    ("Middle-school math tutoring 2026-27", "-", "middle-school-math-tutoring-2026-27"),
    ("Middle-school math tutoring 2026-27", "_", "middle_school_math_tutoring_2026_27"),
    ("Éducation prioritaire", "_", "education_prioritaire"),  # the accent goes, the letter stays
    ("../../etc/passwd", "-", "etc-passwd"),  # no path survives
    ("C:\\deals\\*?<>|", "_", "c_deals"),
    ("", "-", ""),
    ("「数学」", "-", ""),  # no ASCII letter in it: the caller names the file
])
def test_a_file_slug_is_lowercase_ascii_letters_and_digits(text, separator, slug):
    assert file_slug(text, separator) == slug

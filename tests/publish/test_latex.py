"""LaTeX escaping shared by every LaTeX table (paper tables, findings tables, the matrix)."""

from imri_kg.publish.latex import to_tex


def test_every_special_character_is_escaped():
    assert to_tex(r"a<b>c|d & 50% $x_1 #2 {y} ~ ^ \z") == (
        r"a\textless{}b\textgreater{}c\textbar{}d \& 50\% \$x\_1 \#2 \{y\} \textasciitilde{} "
        r"\textasciicircum{} \textbackslash{}z")


def test_unicode_is_kept_and_white_space_made_one_line():
    assert to_tex("Connectedness  ×\n “hope”") == "Connectedness × “hope”"

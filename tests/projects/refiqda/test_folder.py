"""Project CSV tables rewritten by an import: comments, delimiter and every cell kept exactly."""

from imri_kg.projects.refiqda.folder import Table, read_table


def test_cells_with_line_breaks_quotes_and_a_lone_carriage_return_come_back(tmp_path):
    rows = [{"id": "a", "text": "ends in a carriage return\r"}, {"id": "b", "text": 'two\r\nlines, "quoted"'},
            {"id": "c", "text": "plain 𝓗"}]
    path = tmp_path / "t.csv"
    path.write_text(Table(path, ["id", "text"], rows=rows).to_text(), encoding="utf-8", newline="")
    assert path.read_bytes() == ('id,text\na,"ends in a carriage return\r"\nb,"two\r\nlines, ""quoted"""\n'
                                 "c,plain 𝓗\n").encode()
    assert read_table(path, columns=[]).rows == rows


def test_comments_and_a_semicolon_delimiter_are_kept(tmp_path):
    path = tmp_path / "t.csv"
    text = "# what this file is for\ncode;label\nA;Alpha\n#B;never imported\nC;Gamma, with a comma\n"
    path.write_text(text, encoding="utf-8")
    table = read_table(path, columns=["code", "label", "guid"])
    assert table.data() == [{"code": "A", "label": "Alpha"}, {"code": "C", "label": "Gamma, with a comma"}]
    table.data()[0]["guid"] = "x"
    assert table.to_text() == ("# what this file is for\ncode;label;guid\nA;Alpha;x\n#B;never imported\n"
                               "C;Gamma, with a comma;\n")

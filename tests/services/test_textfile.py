"""Text files handed to imports: UTF-8 with or without BOM, GB18030/GBK, anything else refused."""

from __future__ import annotations

import pytest

from keyproj.services.textfile import UnreadableText, decode_text

TEXT = "日期,类型,名称\n2027-02-06,放假,春节\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_utf8_and_chinese_windows_encodings_read_the_same(encoding):
    assert decode_text(TEXT.encode(encoding)) == TEXT


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (TEXT.encode("utf-16"), "UTF-16"),
        (TEXT.encode("utf-16-be"), "不是文本文件"),
        ("日期,类型".encode("utf-16-le") * 100, "不是文本文件"),
        (TEXT.encode() + b"\x81\x20", "第47个字节起既不是 UTF-8 也不是 GB18030/GBK"),
    ],
)
def test_binary_and_unknown_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(UnreadableText, match=reason):
        decode_text(data)


def test_a_stray_nul_in_text_is_left_to_the_checks_of_its_field():
    assert decode_text(TEXT.encode() + b"\x00\n") == TEXT + "\x00\n"

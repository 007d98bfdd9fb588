"""Text files handed to imports: UTF-8 (with or without BOM) or GB18030/GBK, anything else refused.

Excel saves "CSV UTF-8" with a BOM, and plain "CSV" on a Chinese Windows in GBK, which
GB18030 contains. A file that is neither, or not text at all, gets a reason the user can act on.
"""

from __future__ import annotations

import codecs


class UnreadableText(ValueError):
    """A file that is not text in an accepted encoding; the message is the reason, in Chinese."""


def decode_text(data: bytes) -> str:
    """The file's text, from UTF-8 (a BOM is dropped) or GB18030/GBK."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableText(
            "文件是 UTF-16 编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入"
        )
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text, first_bad = None, exc.start + 1  # where a UTF-8 file went wrong, the likelier intent
    # Binary formats (xlsx, images, UTF-16 without a BOM: every other byte) are full of NUL
    # bytes, more than a tenth of the file when they are valid UTF-8; a stray one in
    # a text file is left to the checks of the field it is in.
    if b"\x00" in data and (text is None or data.count(b"\x00") * 10 > len(data)):
        raise UnreadableText("不是文本文件（含有二进制内容），请导入 CSV 文本文件")
    if text is not None:
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableText(
            f"文件编码无法识别：第{first_bad}个字节起既不是 UTF-8 也不是 GB18030/GBK，"
            "请另存为“CSV UTF-8”后再导入"
        ) from None

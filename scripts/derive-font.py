#!/usr/bin/python3
# Derives, from a system CJK font, the copy that report.pdf's renderer uses
# (lib/document/pdf_fonts.c; docs/output.md): the same face with its CFF
# subroutines expanded into every glyph's charstring, everything else as it
# is (names, metrics, cmap, GSUB/GPOS, version, timestamps). cairo 1.16's
# CFF subsetter cannot subset Noto Serif CJK's subroutines and embeds all of
# them (670 KB a PDF); without subroutines it embeds the glyphs used only.
# Outlines, glyph ids and advances are unchanged, so the PDF differs only in
# its font programs. Deterministic: the same source gives the same bytes.
#
#   scripts/derive-font.py FAMILY OUT     e.g. 'Noto Serif CJK SC' build/fonts/x.otf
#
# The source is the face fontconfig gives for FAMILY (fc-match), which must
# carry FAMILY as its own name. Writes OUT atomically. Needs python3-fonttools.
import os
import subprocess
import sys

try:
    from fontTools.ttLib import TTCollection, TTFont
except ImportError:
    sys.exit("derive-font.py: python3-fonttools is needed (sh scripts/install-deps.sh)")

if len(sys.argv) != 3:
    sys.exit("usage: derive-font.py FAMILY OUT")
family, out = sys.argv[1:]
found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family[0]}", family],
                       capture_output=True, text=True, check=True).stdout.split("\n")
if len(found) != 3 or found[2] != family:
    sys.exit(f"derive-font.py: font '{family}' is not installed (fonts-noto-cjk)")
src, index = found[0], int(found[1])

# recalcTimestamp=False keeps head.modified: the output depends on the input only.
if src.lower().endswith((".ttc", ".otc")):
    font = TTCollection(src, lazy=True, recalcTimestamp=False).fonts[index]
else:
    font = TTFont(src, lazy=True, recalcTimestamp=False)
if font["name"].getDebugName(1) != family or "CFF " not in font:
    sys.exit(f"derive-font.py: {src} face {index} is not a CFF font named '{family}'")
font["CFF "].cff.desubroutinize()
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
tmp = out + ".tmp"
font.save(tmp)
os.replace(tmp, out)
print(f"derive-font.py: {out} from {src} face {index} ({os.path.getsize(out)} bytes)")

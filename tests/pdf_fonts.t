#!/usr/bin/python3
"""report.pdf's derived fonts (lib/document/pdf_fonts.h): with the fonts
without CFF subroutines beside the plugin (build/fonts), the PDF embeds
smaller subsets of Noto Serif/Sans CJK SC and differs from the PDF made with
the system's fonts in nothing else: the same objects but the two font
programs, the same text, the same pixels on every page. Without the folder,
or with a font in it that does not match the installed face it would
replace, the plugin uses the system's fonts."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, ok, run  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402

BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
PLUGIN = os.path.join(BUILD, "juesuan-pdf.so")
tmp = tempfile.mkdtemp(prefix="juesuan-pdf-fonts-")


def pdf_with(name, plugin_dir=None):
    """report.pdf of qingshan-2024 built with the plugin in plugin_dir (a
    copy: fonts/ beside it or not) or the build tree's; its bytes."""
    env = dict(os.environ)
    if plugin_dir:
        env["JUESUAN_PDF"] = os.path.join(plugin_dir, "juesuan-pdf.so")
    else:
        env.pop("JUESUAN_PDF", None)
    out = os.path.join(tmp, name)
    rc, _, err = run("build", example("qingshan-2024"), "-o", out, "--only", "pdf", env=env)
    ok(rc == 0, "%s: build writes report.pdf %s" % (name, err))
    return open(os.path.join(out, "report.pdf"), "rb").read()


def plugin_copy(name, fonts=()):
    d = os.path.join(tmp, "plugin-" + name)
    os.makedirs(d)
    shutil.copy(PLUGIN, d)
    if fonts:
        os.makedirs(os.path.join(d, "fonts"))
        for f in fonts:
            shutil.copy(f, os.path.join(d, "fonts"))
    return d


def same(a, b, name):
    return ok(a == b, name, "%d bytes and %d bytes differ" % (len(a), len(b)))


def objects(pdf):
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\r?\n(.*?)endobj", pdf, re.S)}


def font_programs(objs):
    """The embedded CFF font programs (object number -> decompressed bytes)
    and the objects holding their lengths."""
    progs, lengths = {}, set()
    for n, body in objs.items():
        if b"/Subtype /CIDFontType0C" in body:
            lengths.add(int(re.search(rb"/Length (\d+) 0 R", body).group(1)))
            progs[n] = zlib.decompress(body[body.index(b"stream") + 7:])
    return progs, lengths


ok(os.path.isdir(os.path.join(BUILD, "fonts")), "the build's derived fonts are beside the plugin (%s/fonts)" % BUILD)

# The derived faces keep every character's glyph and leave out, as empty
# glyphs with their ids kept, those that horizontal zh-Hans text cannot
# reach (scripts/derive-font.py): a third of the CFF table that cairo copies
# twice per PDF. Whitespace characters' glyphs are empty in the installed
# faces too.
for name in sorted(os.listdir(os.path.join(BUILD, "fonts"))):
    face = TTFont(os.path.join(BUILD, "fonts", name), lazy=True)
    offsets = face["CFF "].cff.topDictIndex[0].CharStrings.charStringsIndex.offsets
    empty = {g for i, g in enumerate(face.getGlyphOrder()) if offsets[i + 1] - offsets[i] <= 1}
    chars = set(face.getBestCmap().values())
    ok(len(empty) > 10000 and len(empty & chars) <= 10,
       "%s: %d empty glyphs, %d of them characters' (%d characters' glyphs)" %
       (name, len(empty), len(empty & chars), len(chars)))

derived = pdf_with("derived")
system = pdf_with("system", plugin_copy("plain"))
same(pdf_with("derived-again"), derived, "with the derived fonts two builds give the same bytes")

fonts = subprocess.run(["pdffonts", "-"], input=derived, capture_output=True).stdout.decode()
ok(re.search(r"\+NotoSerifCJKsc-Regular\s.*yes\s+yes\s+yes", fonts) and
   re.search(r"\+NotoSansCJKsc-Regular\s.*yes\s+yes\s+yes", fonts),
   "pdffonts: Noto Serif and Sans CJK SC embedded as subsets with their Unicode map", fonts)

a, b = objects(derived), objects(system)
pa, la = font_programs(a)
pb, lb = font_programs(b)
is_(sorted(a), sorted(b), "the same objects with the derived fonts and with the system's")
is_(sorted(pa), sorted(pb), "the same two font programs")
differ = sorted(n for n in a if a[n] != b.get(n))
is_(differ, sorted(set(pa) | la), "the objects differ only in the font programs and their lengths")
sizes = ", ".join("%d KB rather than %d KB" % (len(pa[n]) // 1024, len(pb[n]) // 1024) for n in sorted(pa))
ok(all(len(pa[n]) < len(pb[n]) for n in pa) and sum(map(len, pa.values())) * 3 < sum(map(len, pb.values())),
   "the embedded font programs are smaller: " + sizes)
print("# report.pdf: %d bytes with the derived fonts, %d with the system's" % (len(derived), len(system)))


def text(pdf):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout


same(text(derived), text(system), "pdftotext reads the same text")
pages = []
for name, pdf in (("derived", derived), ("system", system)):
    path = os.path.join(tmp, name + ".pdf")
    open(path, "wb").write(pdf)
    subprocess.run(["pdftoppm", "-r", "100", path, os.path.join(tmp, name + "-page")], check=True)
    pages.append(sorted(f for f in os.listdir(tmp) if f.startswith(name + "-page")))
equal = [f for f, g in zip(*pages)
        if open(os.path.join(tmp, f), "rb").read() == open(os.path.join(tmp, g), "rb").read()]
ok(len(pages[0]) > 20 and len(equal) == len(pages[0]) == len(pages[1]),
   "every page renders to the same pixels (pdftoppm, 100 dpi): %d of %d" % (len(equal), len(pages[0])))

# A font that does not match the installed face of its PostScript name (here
# DejaVu Sans, which the report uses for a few characters, cut to fewer
# characters) makes the plugin keep the system's fonts: the same PDF.
dejavu = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True).stdout
cut = os.path.join(tmp, "DejaVuSans.ttf")
subprocess.run(["/usr/bin/python3", "-m", "fontTools.subset", dejavu, "--unicodes=U+0020-007E",
                "--output-file=" + cut], check=True, capture_output=True)
same(pdf_with("mismatch", plugin_copy("mismatch", [cut])), system,
    "a font in fonts/ that differs from the installed face it names: the system's fonts, the same PDF")

shutil.rmtree(tmp)
done()

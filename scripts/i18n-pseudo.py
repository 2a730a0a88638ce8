#!/usr/bin/env python3
"""Writes the pseudo-locale "qps" from the message template: every message wrapped in [ ] and
accented ("Show me" -> "[Ŝhöw mé]"), placeholders (%d, %2$s, %%, {{...}}) and ImGui ids (##x)
kept, so a string the lab shows without translating it stands out in the pseudo-locale's
screenshots and text. usage: scripts/i18n-pseudo.py TEMPLATE.pot OUT.po"""
import re
import sys

ACCENTS = str.maketrans("aeiouAEIOUcnsyCNSY", "áéíöüÅÉÍÖÜçñŝýÇÑŜÝ")
TOKEN = re.compile(r"(%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[lhz]*[diouxXeEfgGcsp%]|\{\{[^}]*\}\}|\\[nt\"\\])")


def pseudo(text):
    visible, sep, ident = text.partition("##")
    if not visible:
        return text
    parts = TOKEN.split(visible)
    out = "".join(p if TOKEN.fullmatch(p) else p.translate(ACCENTS) for p in parts)
    return "[" + out + "]" + (sep + ident if sep else "")


def unquote_lines(lines):
    return "".join(re.match(r'^\s*"(.*)"\s*$', l).group(1) for l in lines)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    entries, cur, key = [], {}, None
    for line in open(src, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if m:
            key = m.group(1)
            cur.setdefault(key, []).append(m.group(2))
        elif line.startswith('"') and key:
            cur[key].append(line)
        elif not line.strip() and cur:
            entries.append(cur)
            cur, key = {}, None
    if cur:
        entries.append(cur)
    with open(dst, "w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Language: qps\\n"\n"X-Language-Name: [Þšéüðö]\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
        for e in entries:
            if "msgid" not in e:
                continue
            msgid = unquote_lines(e["msgid"])
            if msgid == "":
                continue
            if "msgctxt" in e:
                out.write('msgctxt "%s"\n' % unquote_lines(e["msgctxt"]))
            out.write('msgid "%s"\n' % msgid)
            if "msgid_plural" in e:
                plural = unquote_lines(e["msgid_plural"])
                out.write('msgid_plural "%s"\n' % plural)
                out.write('msgstr[0] "%s"\nmsgstr[1] "%s"\n\n' % (pseudo(msgid), pseudo(plural)))
            else:
                out.write('msgstr "%s"\n\n' % pseudo(msgid))


main()

#!/usr/bin/env python3
"""What SQLite's write-ahead log holds, by B-tree: the pages each command wrote (bench/README.md §3, nineteenth session).

    bench/wal-pages.py DATABASE WAL [COMMANDS]

DATABASE and WAL are copies taken together while the server ran (bench/commands-wal.sh takes them); COMMANDS is how many
commands the log's frames cover. Every commit appends each page it changed to the log, whole (4 KiB); the checkpoint later
writes each page the log holds once into the database file. So two figures: frames per command (the log's bytes, and the
writer's work per page), and distinct pages per round of about 100 commands (what one checkpoint round, 100 ms at
1 000 commands/s, writes into the database file at random places). Pages are named by the B-tree that owns them now
(SQLite's dbstat); a page freed and reused meanwhile counts for its new owner.
"""
import collections
import sqlite3
import struct
import sys


def commits(wal_path):
    """The log's commits, each the list of page numbers it wrote, up to the first frame of an older generation."""
    data = open(wal_path, "rb").read()
    _, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">8I", data[:32])
    frame = 24 + page_size
    found, current, offset = [], [], 32
    while offset + frame <= len(data):
        page, size_after_commit, s1, s2 = struct.unpack(">4I", data[offset:offset + 16])
        if (s1, s2) != (salt1, salt2):
            break
        current.append(page)
        if size_after_commit:
            found.append(current)
            current = []
        offset += frame
    return found


def owners(database_path):
    connection = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    named = {page: name for name, page in connection.execute("SELECT name, pageno FROM dbstat")}
    named.setdefault(1, "sqlite_schema")
    return named


def main():
    database, wal = sys.argv[1], sys.argv[2]
    commands = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    log, named = commits(wal), owners(database)
    frames = sum(len(c) for c in log)
    per_tree = collections.Counter(named.get(p, "(new)") for c in log for p in c)
    print(f"commits {len(log)}, frames {frames}, frames per commit {frames / max(1, len(log)):.2f}")
    if not commands:
        for name, count in per_tree.most_common(15):
            print(f"  {name:42s} {count / max(1, len(log)):6.2f} per commit")
        return
    print(f"commands {commands}: frames per command {frames / commands:.2f} ({frames * 4 / commands:.1f} KiB), commits per command {len(log) / commands:.3f}")
    for name, count in per_tree.most_common(15):
        print(f"  {name:42s} {count / commands:6.2f} per command")
    round_size = max(1, round(100 * len(log) / commands))
    distinct, rounds = collections.Counter(), 0
    for start in range(0, len(log) - round_size + 1, round_size):
        rounds += 1
        for page in {p for c in log[start:start + round_size] for p in c}:
            distinct[named.get(page, "(new)")] += 1
    print(f"distinct pages per {round_size} commits (about 100 commands): {sum(distinct.values()) / max(1, rounds):.1f}")
    for name, count in distinct.most_common(10):
        print(f"  {name:42s} {count / max(1, rounds):6.1f}")


if __name__ == "__main__":
    main()

"""Runs a command on a pseudo-terminal and answers its prompts, as a person at a terminal would.

Usage: terminal_answer.py PROMPT=ANSWER [PROMPT=ANSWER ...] -- COMMAND ARG...
Prints a JSON object: the exit code and everything the terminal showed (prompts, echoes, output).
"""
import json
import os
import pty
import sys
import time

split = sys.argv.index("--")
answers = [pair.split("=", 1) for pair in sys.argv[1:split]]
command = sys.argv[split + 1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown = b""


def read_until(token: bytes, seconds: float = 20) -> None:
    global shown
    deadline = time.time() + seconds
    while token not in shown and time.time() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        shown += chunk


for prompt, answer in answers:
    read_until(prompt.encode())
    os.write(fd, answer.encode() + b"\r")
read_until(b"\x00", 20)  # the rest, until the command closes the terminal
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "shown": shown.decode("utf-8", "replace")}))

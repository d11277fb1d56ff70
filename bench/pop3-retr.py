"""POP3 RETR throughput with Python's poplib: one session retrieves every message of the maildrop.

usage: pop3-retr.py HOST PORT USER PASSWORD
Prints one JSON object: messages, octets, login_s (USER/PASS + STAT), retr_s (the RETR loop alone).
Works against any POP3 server, e.g. to compare with Dovecot on the same machine.
"""
import json
import poplib
import sys
import time

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
start = time.perf_counter()
client = poplib.POP3(host, port)
client.user(user)
client.pass_(password)
count, total = client.stat()
logged_in = time.perf_counter()
octets = 0
for number in range(1, count + 1):
    octets += client.retr(number)[2]
done = time.perf_counter()
client.quit()
if octets != total:
    sys.exit(f'RETR octets {octets} differ from STAT {total}')
print(json.dumps({'messages': count, 'octets': octets, 'login_s': round(logged_in - start, 4), 'retr_s': round(done - logged_in, 4)}))

"""Reads a whole maildrop with poplib and prints JSON: what a leave-on-server client sees.

usage: pop3_fetch.py HOST PORT USER PASSWORD [--ssl] [--top N ...] [--dele N ...] [--no-quit]
"""
import argparse
import base64
import json
import poplib
import ssl

parser = argparse.ArgumentParser()
parser.add_argument('host')
parser.add_argument('port', type=int)
parser.add_argument('user')
parser.add_argument('password')
parser.add_argument('--ssl', action='store_true')
parser.add_argument('--top', type=int, action='append', default=[])
parser.add_argument('--dele', type=int, action='append', default=[])
parser.add_argument('--no-quit', action='store_true')
args = parser.parse_args()

if args.ssl:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    client = poplib.POP3_SSL(args.host, args.port, context=context)
else:
    client = poplib.POP3(args.host, args.port)

client.user(args.user)
client.pass_(args.password)
count, total = client.stat()
_, listing, _ = client.list()
_, uidls, _ = client.uidl()
sizes = {int(n): int(s) for n, s in (line.split() for line in listing)}
result = {'stat': [count, total], 'sizes': sizes, 'uidl': {int(n): u.decode() for n, u in (line.split() for line in uidls)},
          'retr': {}, 'top': {}}
for number in sorted(sizes):
    response, lines, octets = client.retr(number)
    result['retr'][number] = {
        'status': response.decode(), 'octets': octets,
        'data': base64.b64encode(b''.join(line + b'\r\n' for line in lines)).decode(),
    }
    for n in args.top:
        _, lines, _ = client.top(number, n)
        result['top'].setdefault(number, {})[n] = base64.b64encode(b''.join(line + b'\r\n' for line in lines)).decode()
for number in args.dele:
    client.dele(number)
if not args.no_quit:
    result['quit'] = client.quit().decode()
print(json.dumps(result))

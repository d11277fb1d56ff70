"""Drives Mailhive's IMAP server with Python's imaplib and prints what it saw as JSON.

Usage: imap_session.py PORT TLS_PORT USER PASSWORD
"""
import imaplib
import json
import ssl
import sys

port, tls_port, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
result = {}

imap = imaplib.IMAP4('127.0.0.1', port)
result['capabilities'] = list(imap.capabilities)
imap.starttls(ssl_context=context)
try:
    imap.login(user, 'wrong-password')
    result['wrong_login'] = 'accepted'
except imaplib.IMAP4.error as error:
    result['wrong_login'] = str(error)
result['login'] = imap.login(user, password)[0]
result['create'] = imap.create('Py/Sub')[0]
typ, lines = imap.list('""', 'Py*')
result['list'] = [line.decode() for line in lines]
message = b'From: Py <py@example.com>\r\nTo: x@example.com\r\nSubject: from python\r\n\r\nHello from imaplib\r\n'
typ, data = imap.append('Py/Sub', r'(\Flagged)', imaplib.Time2Internaldate(1700000000), message)
result['append'] = [typ, data[0].decode()]
typ, data = imap.select('Py/Sub')
result['select'] = [typ, data[0].decode()]
result['recent'] = imap.recent()[1][0].decode()
result['search_new'] = imap.search(None, 'NEW')[1][0].decode()
typ, data = imap.fetch('1', '(FLAGS RFC822.SIZE BODY.PEEK[] INTERNALDATE)')
result['fetch_meta'] = data[0][0].decode()
result['fetch_body_exact'] = data[0][1] == message
typ, data = imap.uid('FETCH', '1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
result['header_fields'] = data[0][1].decode()
result['search_subject'] = imap.search(None, 'SUBJECT', '"from python"')[1][0].decode()
result['search_unflagged'] = imap.search(None, 'UNFLAGGED')[1][0].decode()
typ, data = imap.store('1', '+FLAGS', r'(\Seen \Deleted)')
result['store'] = data[0].decode()
typ, data = imap.uid('COPY', '1', 'INBOX')
result['copy'] = [typ, imap.response('COPYUID')[1][0].decode()]
typ, data = imap.expunge()
result['expunge'] = [typ, [item.decode() for item in data if item]]
result['status'] = imap.status('Py/Sub', '(MESSAGES UIDNEXT)')[1][0].decode()
imap.close()
result['delete_parent'] = imap.delete('Py')[0]
imap.delete('Py/Sub')
result['delete'] = imap.delete('Py')[0]
result['logout'] = imap.logout()[0]

secure = imaplib.IMAP4_SSL('127.0.0.1', tls_port, ssl_context=context)
secure.login(user, password)
typ, data = secure.select('INBOX', readonly=True)
result['imaps_select'] = [typ, data[0].decode()]
secure.logout()
print(json.dumps(result))

"""Reads a mail client setup document on stdin and prints the servers it names as JSON, parsed as clients do:
Thunderbird's config-v1.1.xml and Outlook's POX autodiscover with an XML parser, Apple's .mobileconfig with plistlib.

usage: client_setup_parse.py thunderbird|autodiscover|mobileconfig < document
"""
import json
import plistlib
import sys
import xml.etree.ElementTree as ET

OUTLOOK = '{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}'


def thunderbird(data):
    root = ET.fromstring(data)
    provider = root.find('emailProvider')
    servers = []
    for element in list(provider.findall('incomingServer')) + list(provider.findall('outgoingServer')):
        servers.append({
            'type': element.get('type'),
            'hostname': element.findtext('hostname'),
            'port': int(element.findtext('port')),
            'socketType': element.findtext('socketType'),
            'username': element.findtext('username'),
        })
    return {'domain': provider.findtext('domain'), 'servers': servers}


def autodiscover(data):
    root = ET.fromstring(data)
    account = root.find(OUTLOOK + 'Response/' + OUTLOOK + 'Account')
    if account is None:
        return {'error': root.findtext('.//ErrorCode') or root.findtext('.//{*}ErrorCode')}
    protocols = []
    for protocol in account.findall(OUTLOOK + 'Protocol'):
        protocols.append({
            'type': protocol.findtext(OUTLOOK + 'Type'),
            'server': protocol.findtext(OUTLOOK + 'Server'),
            'port': int(protocol.findtext(OUTLOOK + 'Port')),
            'ssl': protocol.findtext(OUTLOOK + 'SSL'),
            'encryption': protocol.findtext(OUTLOOK + 'Encryption'),
            'login': protocol.findtext(OUTLOOK + 'LoginName'),
        })
    return {'action': account.findtext(OUTLOOK + 'Action'), 'protocols': protocols}


def mobileconfig(data):
    profile = plistlib.loads(data)
    mail = profile['PayloadContent'][0]
    return {
        'type': profile['PayloadType'],
        'payloadType': mail['PayloadType'],
        'accountType': mail['EmailAccountType'],
        'address': mail['EmailAddress'],
        'incoming': [mail['IncomingMailServerHostName'], mail['IncomingMailServerPortNumber'], mail['IncomingMailServerUseSSL']],
        'outgoing': [mail['OutgoingMailServerHostName'], mail['OutgoingMailServerPortNumber'], mail['OutgoingMailServerUseSSL']],
        'username': mail['IncomingMailServerUsername'],
    }


PARSERS = {'thunderbird': thunderbird, 'autodiscover': autodiscover, 'mobileconfig': mobileconfig}

if __name__ == '__main__':
    print(json.dumps(PARSERS[sys.argv[1]](sys.stdin.buffer.read())))

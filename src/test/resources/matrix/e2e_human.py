"""A human in an end-to-end encrypted Matrix room, for parley's integration tests: a real encrypting client
(matrix-nio with olm) that logs in, syncs, and reports on stdout, one JSON object a line, every message event it
receives -- whether it could decrypt it, and what it says. Commands come on stdin, one JSON object a line:
{"cmd": "say", "text": "..."} sends an encrypted m.text (ready: {"event": "sent", ...}); {"cmd": "quit"} stops.

Usage: e2e_human.py HOMESERVER_URL USER_ID PASSWORD STORE_DIR ROOM_ID
"""
import asyncio
import json
import sys

from nio import AsyncClient, AsyncClientConfig, MegolmEvent, RoomMessage, RedactionEvent, LoginResponse


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def main():
    url, user, password, store, room_id = sys.argv[1:6]
    client = AsyncClient(url, user, store_path=store,
                         config=AsyncClientConfig(store_sync_tokens=True, encryption_enabled=True))
    login = await client.login(password, device_name="e2e-human")
    if not isinstance(login, LoginResponse):
        emit({"event": "error", "what": "login", "detail": str(login)})
        return 1
    if client.should_upload_keys:
        await client.keys_upload()

    def on_message(room, event):
        if room.room_id != room_id:
            return
        if isinstance(event, MegolmEvent):
            # Arrived encrypted and could not be decrypted (no room key for its session).
            emit({"event": "message", "event_id": event.event_id, "sender": event.sender, "encrypted": True,
                  "decrypted": False, "session_id": event.session_id})
            return
        content = event.source.get("content", {})
        emit({"event": "message", "event_id": event.event_id, "sender": event.sender,
              "encrypted": bool(getattr(event, "decrypted", False)), "decrypted": bool(getattr(event, "decrypted", False)),
              "type": event.source.get("type"), "msgtype": content.get("msgtype"), "body": content.get("body")})

    def on_redaction(room, event):
        if room.room_id == room_id:
            emit({"event": "redaction", "redacts": event.redacts, "sender": event.sender})

    client.add_event_callback(on_message, (RoomMessage, MegolmEvent))
    client.add_event_callback(on_redaction, RedactionEvent)

    # Everything before this first sync is history: the room as it was when the human sat down.
    await client.sync(timeout=0, full_state=True)
    emit({"event": "ready", "device_id": client.device_id})
    syncing = asyncio.ensure_future(client.sync_forever(timeout=2000, loop_sleep_time=50))

    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        cmd = json.loads(line)
        if cmd.get("cmd") == "quit":
            break
        if cmd.get("cmd") == "say":
            # Devices of members who came since the last sync are queried first, so they get the room key.
            if client.should_query_keys:
                await client.keys_query()
            r = await client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": cmd["text"]},
                                       ignore_unverified_devices=True)
            emit({"event": "sent", "event_id": getattr(r, "event_id", None), "detail": str(r)})
    syncing.cancel()
    await client.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

REM #1 2026-11-18T11:06:40.000000Z POST /hooks/github?delivery=1
curl ^"http://127.0.0.1:8765/hooks/github?delivery=1^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"User-Agent: GitHub-Hookshot/abc^" ^
  -H ^"Content-Type: application/json^" ^
  -H ^"X-GitHub-Event: issues^" ^
  -H ^"X-Hub-Signature-256: sha256=deadbeef^" ^
  -H ^"Authorization: Bearer s3cret^" ^
  -H ^"Content-Length: 39^" ^
  -H ^"Accept:^" ^
  --data-raw ^"^{^\^"action^\^":^\^"opened^\^",^\^"title^\^":^\^"caf^é ^☕^\^"^}^"

REM #2 2026-11-18T11:06:40.000000Z GET /status?q=a+b&empty=&flag
curl ^"http://127.0.0.1:8765/status?q=a+b^&empty=^&flag^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"X-A: 1^" ^
  -H ^"x-a: 2^" ^
  -H ^"X-Empty;^" ^
  -H ^"Accept: */*^" ^
  -H ^"User-Agent:^"

REM #3 2026-11-18T11:06:40.000000Z PUT /upload/blob.bin
REM the body is 256 bytes of binary data: save them as capture-3.body
curl ^"http://127.0.0.1:8765/upload/blob.bin^" ^
  -X ^"PUT^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"Content-Type: application/octet-stream^" ^
  -H ^"Content-Length: 256^" ^
  -H ^"User-Agent:^" ^
  -H ^"Accept:^" ^
  --data-binary @capture-3.body

REM #4 2026-11-18T11:06:40.000000Z PATCH /latin1
REM the body is 10 bytes of binary data: save them as capture-4.body
curl ^"http://127.0.0.1:8765/latin1^" ^
  -X ^"PATCH^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"X-Name: Ren^ée^" ^
  -H ^"Content-Length: 10^" ^
  -H ^"User-Agent:^" ^
  -H ^"Accept:^" ^
  -H ^"Content-Type:^" ^
  --data-binary @capture-4.body

REM #5 2026-11-18T11:06:40.000000Z POST /notes
REM the body is 63 bytes of binary data: save them as capture-5.body
curl ^"http://127.0.0.1:8765/notes^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"Content-Type: text/plain; charset=utf-8^" ^
  -H ^"Content-Length: 63^" ^
  -H ^"User-Agent:^" ^
  -H ^"Accept:^" ^
  --data-binary @capture-5.body

REM #6 2026-11-18T11:06:40.000000Z DELETE /a/../b/./c?x=[1]&y=%2f&z={q}
curl ^"http://127.0.0.1:8765/a/../b/./c?x=^[1^]^&y=^%^2f^&z=^{q^}^" ^
  --path-as-is ^
  --globoff ^
  -X ^"DELETE^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"User-Agent: odd/1^" ^
  -H ^"Accept:^"

REM #7 2026-11-18T11:06:40.000000Z POST http://example.test/absolute?form=1
curl ^"http://127.0.0.1:8765/^" ^
  --request-target ^"http://example.test/absolute?form=1^" ^
  -H ^"Host: 127.0.0.1:8765^" ^
  -H ^"Transfer-Encoding: chunked^" ^
  -H ^"User-Agent:^" ^
  -H ^"Accept:^" ^
  -H ^"Content-Type:^" ^
  --data-raw ^"chunked body^"

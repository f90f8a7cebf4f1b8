# #1 2026-11-18T11:06:40.000000Z POST /hooks/github?delivery=1
curl 'http://127.0.0.1:8765/hooks/github?delivery=1' \
  -H 'Host: 127.0.0.1:8765' \
  -H 'User-Agent: GitHub-Hookshot/abc' \
  -H 'Content-Type: application/json' \
  -H 'X-GitHub-Event: issues' \
  -H 'X-Hub-Signature-256: sha256=deadbeef' \
  -H 'Authorization: Bearer s3cret' \
  -H 'Content-Length: 39' \
  -H 'Accept:' \
  --data-raw '{"action":"opened","title":"café ☕"}'

# #2 2026-11-18T11:06:40.000000Z GET /status?q=a+b&empty=&flag
curl 'http://127.0.0.1:8765/status?q=a+b&empty=&flag' \
  -H 'Host: 127.0.0.1:8765' \
  -H 'X-A: 1' \
  -H 'x-a: 2' \
  -H 'X-Empty;' \
  -H 'Accept: */*' \
  -H 'User-Agent:'

# #3 2026-11-18T11:06:40.000000Z PUT /upload/blob.bin
printf '\000\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037 !"#$%%&\047()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\134]^_`abcdefghijklmnopqrstuvwxyz{|}~\177\200\201\202\203\204\205\206\207\210\211\212\213\214\215\216\217\220\221\222\223\224\225\226\227\230\231\232\233\234\235\236\237\240\241\242\243\244\245\246\247\250\251\252\253\254\255\256\257\260\261\262\263\264\265\266\267\270\271\272\273\274\275\276\277\300\301\302\303\304\305\306\307\310\311\312\313\314\315\316\317\320\321\322\323\324\325\326\327\330\331\332\333\334\335\336\337\340\341\342\343\344\345\346\347\350\351\352\353\354\355\356\357\360\361\362\363\364\365\366\367\370\371\372\373\374\375\376\377' | curl 'http://127.0.0.1:8765/upload/blob.bin' \
  -X 'PUT' \
  -H 'Host: 127.0.0.1:8765' \
  -H 'Content-Type: application/octet-stream' \
  -H 'Content-Length: 256' \
  -H 'User-Agent:' \
  -H 'Accept:' \
  --data-binary @-

# #4 2026-11-18T11:06:40.000000Z PATCH /latin1
curl 'http://127.0.0.1:8765/latin1' \
  -X 'PATCH' \
  -H 'Host: 127.0.0.1:8765' \
  -H $'X-Name: Ren\xe9e' \
  -H 'Content-Length: 10' \
  -H 'User-Agent:' \
  -H 'Accept:' \
  -H 'Content-Type:' \
  --data-raw $'caf\xe9 cr\xe8me'

# #5 2026-11-18T11:06:40.000000Z POST /notes
curl 'http://127.0.0.1:8765/notes' \
  -H 'Host: 127.0.0.1:8765' \
  -H 'Content-Type: text/plain; charset=utf-8' \
  -H 'Content-Length: 63' \
  -H 'User-Agent:' \
  -H 'Accept:' \
  --data-raw $'line one\r\nit\'s $HOME and `date` & !! \\ "quoted"\n\ttabbed %PATH%\n'

# #6 2026-11-18T11:06:40.000000Z DELETE /a/../b/./c?x=[1]&y=%2f&z={q}
curl 'http://127.0.0.1:8765/a/../b/./c?x=[1]&y=%2f&z={q}' \
  --path-as-is \
  --globoff \
  -X 'DELETE' \
  -H 'Host: 127.0.0.1:8765' \
  -H 'User-Agent: odd/1' \
  -H 'Accept:'

# #7 2026-11-18T11:06:40.000000Z POST http://example.test/absolute?form=1
curl 'http://127.0.0.1:8765/' \
  --request-target 'http://example.test/absolute?form=1' \
  -H 'Host: 127.0.0.1:8765' \
  -H 'Transfer-Encoding: chunked' \
  -H 'User-Agent:' \
  -H 'Accept:' \
  -H 'Content-Type:' \
  --data-raw 'chunked body'

-- The public form's applicants for wrk (issue 14), a client far cheaper than locust:
--   wrk -t 20 -c 20 -d 40s -s bench/load/form.lua http://127.0.0.1:8040
-- with LOAD_FORMS (a file, one form token a line) and LOAD_SENT (where accepted e-mails go).
-- One connection per thread (-t = -c), so each thread's requests and answers alternate and the
-- thread plays one applicant after another: GET the form (its CSRF cookie and tokens), POST it;
-- the POST is answered with the thanks page itself (200, the page carrying its /merci/ address),
-- or, before 8 December 2026, with a redirect to it, which is then followed (a GET, as a browser
-- does). An e-mail is written to LOAD_SENT.<n> only when the server answered the POST with its
-- thanks page (or the redirect to it), for check_sent.py.

local forms = {}
for line in io.lines(os.getenv("LOAD_FORMS")) do
  if #line > 0 then forms[#forms + 1] = line end
end
local sent_base = os.getenv("LOAD_SENT")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local state, path, csrf, cookie, once, email, sent, n, run = "get", nil, nil, nil, nil, nil, nil, 0, nil
local accepted, refused = 0, 0

function init(args)
  math.randomseed(os.time() * 1000 + id)
  run = string.format("%x%04x", os.time(), math.random(0, 65535))
  sent = io.open(sent_base .. "." .. id, "a")
end

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local ANSWER = {
  {"q_organization", "Frigo solidaire (charge)"},
  {"q_region", "QC-12"},
  {"q_contact_name", "Jeanne Charge"},
  {"q_position", "Coordination"},
  {"q_concept", "Un frigo partagé."},
  {"q_operations", "Collecte, tri, entreposage au froid."},
  {"q_barriers", "Transport réfrigéré."},
  {"q_mentoring_help", "Apprendre la logistique du froid."},
  {"q_revise_processes", "Je dirige l’organisme."},
  {"q_comments", ""},
  {"consent", "on"},
  {"site_web", ""},
}

function request()
  if state == "get" then
    path = "/formulaire/" .. forms[math.random(#forms)] .. "/"
    return wrk.format("GET", path)
  elseif state == "post" then
    n = n + 1
    email = string.format("%s-%d-%d@charge.example", run, id, n)
    local body = {"q_email=" .. encode(email), "csrfmiddlewaretoken=" .. csrf, "form_token=" .. once}
    for _, pair in ipairs(ANSWER) do body[#body + 1] = pair[1] .. "=" .. encode(pair[2]) end
    return wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie,
    }, table.concat(body, "&"))
  else
    return wrk.format("GET", path)
  end
end

function response(status, headers, body)
  if state == "get" then
    csrf = body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
    once = body:match('name="form_token" value="([^"]+)"')
    local set = headers["Set-Cookie"] or headers["set-cookie"] or ""
    local value = set:match("csrftoken=([^;]+)")
    if value then cookie = "csrftoken=" .. value end
    if status == 200 and csrf and once and cookie then state = "post" end
  elseif state == "post" then
    local where = headers["Location"] or headers["location"] or ""
    if status == 302 and where:find("/merci/", 1, true) then
      sent:write(email, "\n")
      sent:flush()
      accepted = accepted + 1
      path, state = where, "thanks"
    elseif status == 200 and body:find('data-url="/formulaire/', 1, true) then
      sent:write(email, "\n")
      sent:flush()
      accepted = accepted + 1
      state = "get"
    else
      refused = refused + 1
      state = "get"
    end
  else
    state = "get"
  end
end

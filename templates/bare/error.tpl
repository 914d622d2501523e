{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="[[@lang]]">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{STATUS}} | Tegami</title>
<link rel="stylesheet" href="/static/tegami.css">
<link rel="icon" href="/static/tegami.svg" type="image/svg+xml">
</head>
<body class="bare">
<main id="page-error" class="bare-card">
<p class="brand"><img class="brand-logo" src="/static/tegami.svg" alt="" width="24" height="24"><span class="brand-name">Tegami</span></p>
<h1 class="status-code">{{STATUS}}</h1>
<p class="message">{{MESSAGE}}</p>
{{#HAS_DETAIL}}
<p class="detail">[[error.detail]] <code>{{DETAIL}}</code></p>
{{/HAS_DETAIL}}
<p><a class="btn btn-primary" href="/">[[error.home]]</a></p>
</main>
</body>
</html>

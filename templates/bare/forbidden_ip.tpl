{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html>
<html lang="[[@lang]]">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>403 | Tegami</title>
<link rel="stylesheet" href="/static/tegami.css">
</head>
<body class="bare">
<main id="page-forbidden_ip" class="bare-card">
<h1><span class="status-code">403</span> [[forbidden_ip.heading]]</h1>
<p>[[forbidden_ip.text]]</p>
</main>
</body>
</html>

{{%AUTOESCAPE context="HTML"}}
{{#ALERTS}}
<p class="flash flash-warn" id="alert-notice" role="alert"><a href="/admin/delivery#alerts">[[dashboard.alerts]]</a></p>
{{/ALERTS}}
<section class="panel welcome">
<h2>[[dashboard.welcome]]</h2>
{{#LAST_LOGIN}}
<p>[[dashboard.last_login]]</p>
{{/LAST_LOGIN}}
{{#FIRST_LOGIN}}
<p>[[dashboard.first_login]]</p>
{{/FIRST_LOGIN}}
</section>
<ul class="figures">
<li class="figure">
<span class="figure-label">[[dashboard.totp]]</span>
{{#TOTP_ON}}
<span class="figure-value"><span class="status status-ok">[[status.on]]</span></span>
<a class="figure-link" href="/account/totp">[[dashboard.totp_manage]]</a>
{{/TOTP_ON}}
{{#TOTP_OFF}}
<span class="figure-value"><span class="status status-warn">[[status.off]]</span></span>
<a class="figure-link" href="/account/totp">[[dashboard.totp_enable]]</a>
{{/TOTP_OFF}}
</li>
{{#ADMIN_FIGURES}}
<li class="figure">
<span class="figure-label">[[dashboard.users_active]]</span>
<span class="figure-value">{{USERS_ACTIVE}}</span>
<a class="figure-link" href="/admin/users">[[dashboard.users_link]]</a>
</li>
<li class="figure">
<span class="figure-label">[[dashboard.ip_ranges]]</span>
<span class="figure-value">{{IP_RANGES}}</span>
<a class="figure-link" href="/admin/ip">[[dashboard.ip_link]]</a>
</li>
<li class="figure">
<span class="figure-label">[[dashboard.audit_today]]</span>
<span class="figure-value">{{AUDIT_TODAY}}</span>
<a class="figure-link" href="/admin/audit">[[dashboard.audit_link]]</a>
</li>
{{/ADMIN_FIGURES}}
</ul>

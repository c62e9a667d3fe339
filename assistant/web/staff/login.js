// Staff login: posts JSON, then goes to the dashboard. No data is on this page.
(function () {
  "use strict";
  var form = document.getElementById("login-form");
  var error = document.getElementById("login-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "";
    fetch("/staff/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({
        username: document.getElementById("username").value,
        password: document.getElementById("password").value
      })
    }).then(function (response) {
      if (response.ok) { window.location.assign("/staff"); return; }
      return response.json().then(function (body) {
        error.textContent = response.status === 429
          ? "登录失败次数过多，请 15 分钟后再试。 Too many attempts: try again in 15 minutes."
          : "用户名或密码错误。 " + (body.error || "Wrong username or password.");
      });
    }).catch(function () { error.textContent = "网络错误 Network error"; });
  });
})();

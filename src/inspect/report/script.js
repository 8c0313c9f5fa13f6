(function () {
  'use strict';
  var R = JSON.parse(document.getElementById('report').textContent);
  var T = JSON.parse(document.getElementById('dirtree').textContent);

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function human(n) {
    if (typeof n !== 'number') return '-';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
  }
  function show(v) {
    if (v === null || v === undefined || v === '') return '-';
    if (Array.isArray(v)) return v.length ? v.join(' ') : '-';
    return String(v);
  }
  // cols: [label, key-or-function, kind] where kind is 'num', 'size' or 'mono'.
  function table(target, cols, rows, empty) {
    var host = document.getElementById(target);
    host.textContent = '';
    if (!rows.length) { host.appendChild(el('p', {'class': 'muted'}, empty || 'none')); return; }
    var t = el('table'), thead = el('thead'), tr = el('tr'), tbody = el('tbody');
    var data = rows.slice(), dir = 1, last = -1;
    function value(row, c) { return typeof c[1] === 'function' ? c[1](row) : row[c[1]]; }
    function fill() {
      tbody.textContent = '';
      data.forEach(function (row) {
        var r = el('tr');
        cols.forEach(function (c) {
          var v = value(row, c);
          var kind = c[2] || '';
          var text = kind === 'size' ? human(v) : show(v);
          r.appendChild(el('td', {'class': kind === 'size' ? 'num' : kind}, text));
        });
        tbody.appendChild(r);
      });
    }
    cols.forEach(function (c, i) {
      var th = el('th', {'class': c[2] === 'size' || c[2] === 'num' ? 'num' : ''}, c[0]);
      th.addEventListener('click', function () {
        dir = last === i ? -dir : 1; last = i;
        data.sort(function (a, b) {
          var x = value(a, c), y = value(b, c);
          if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
          return String(show(x)).localeCompare(String(show(y))) * dir;
        });
        fill();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr); t.appendChild(thead); t.appendChild(tbody); host.appendChild(t);
    fill();
  }
  function kv(target, pairs) {
    table(target, [['', 0], ['', 1, 'mono']], pairs.filter(function (p) { return p[1] !== undefined; }));
    var th = document.querySelector('#' + target + ' thead');
    if (th) th.remove();
  }

  // Squarified treemap (Bruls, Huizing, van Wijk): rows of rectangles whose
  // aspect ratios stay close to 1.
  function worst(row, side) {
    var sum = 0, mx = 0, mn = Infinity;
    row.forEach(function (r) { sum += r.a; mx = Math.max(mx, r.a); mn = Math.min(mn, r.a); });
    var s2 = side * side, q = sum * sum;
    return Math.max(s2 * mx / q, q / (s2 * mn));
  }
  function squarify(items, x, y, w, h) {
    var out = [], total = 0;
    items.forEach(function (it) { total += it.size; });
    if (total <= 0 || w <= 1 || h <= 1) return out;
    var scale = w * h / total;
    var rest = items.filter(function (it) { return it.size > 0; })
      .sort(function (a, b) { return b.size - a.size; })
      .map(function (it) { return {it: it, a: it.size * scale}; });
    while (rest.length) {
      var side = Math.min(w, h), row = [rest[0]], i = 1;
      while (i < rest.length && worst(row.concat([rest[i]]), side) <= worst(row, side)) { row.push(rest[i]); i++; }
      var sum = 0;
      row.forEach(function (r) { sum += r.a; });
      if (w >= h) {
        var cw = sum / h, cy = y;
        row.forEach(function (r) { var rh = r.a / cw; out.push({it: r.it, x: x, y: cy, w: cw, h: rh}); cy += rh; });
        x += cw; w -= cw;
      } else {
        var rh = sum / w, cx = x;
        row.forEach(function (r) { var rw = r.a / rh; out.push({it: r.it, x: cx, y: y, w: rw, h: rh}); cx += rw; });
        y += rh; h -= rh;
      }
      rest = rest.slice(i);
    }
    return out;
  }
  function colour(i, depth) {
    var hue = (i * 47) % 360;
    return 'hsl(' + hue + ',55%,' + Math.min(88, 62 + depth * 9) + '%)';
  }
  function drawMap(hostId, crumbsId, root, pathOf) {
    var host = document.getElementById(hostId), crumbs = document.getElementById(crumbsId);
    var stack = [root];
    function draw() {
      var node = stack[stack.length - 1];
      host.textContent = '';
      crumbs.textContent = '';
      if (stack.length > 1) {
        var up = el('button', null, 'up');
        up.addEventListener('click', function () { stack.pop(); draw(); });
        crumbs.appendChild(up);
        crumbs.appendChild(document.createTextNode(' '));
      }
      crumbs.appendChild(document.createTextNode(pathOf(stack) + '  ' + human(node.size)));
      if (node.children && node.children.some(function (c) { return c.children && c.children.length; }))
        crumbs.appendChild(el('span', {'class': 'hint'}, '  click a box to open it; hover for its name and size'));
      var W = host.clientWidth || 560, H = host.clientHeight || 380;
      function place(n, x, y, w, h, depth, hue) {
        var kids = n.children || [];
        squarify(kids, x, y, w, h).forEach(function (r, idx) {
          var c = r.it, h0 = depth === 0 ? idx : hue;
          var box = el('div', {'class': 'tm' + (c.children && c.children.length ? ' dir' : '')});
          box.style.left = r.x + 'px'; box.style.top = r.y + 'px';
          box.style.width = Math.max(0, r.w) + 'px'; box.style.height = Math.max(0, r.h) + 'px';
          box.style.background = colour(h0, depth);
          box.title = c.name + '  ' + human(c.size);
          // A label only where it fits (about 6.2 px a character); the title is the tooltip.
          if (r.h > 14 && c.name.length * 6.2 + 6 < r.w) {
            var sized = r.h > 28 && (c.name.length + 10) * 6.2 + 6 < r.w;
            box.appendChild(el('span', null, c.name + (sized ? ' ' + human(c.size) : '')));
          }
          if (c.children && c.children.length) {
            box.addEventListener('click', function (ev) { ev.stopPropagation(); stack.push(c); draw(); });
          }
          host.appendChild(box);
          if (depth < 1 && c.children && r.w > 60 && r.h > 50) place(c, r.x + 3, r.y + 16, r.w - 6, r.h - 19, depth + 1, h0);
        });
      }
      if (!node.children || !node.children.length) {
        host.appendChild(el('p', {'class': 'muted', 'style': 'padding:12px'}, 'nothing to show'));
        return;
      }
      place(node, 0, 0, W, H, 0, 0);
    }
    draw();
    window.addEventListener('resize', draw);
  }

  document.getElementById('title').textContent = R.reference;
  document.getElementById('digest').textContent = R.digest + '  ' + R.platform;
  // The page was written with static versions of every section; replace them.
  var cards = document.getElementById('cards');
  cards.textContent = '';
  [['compressed', human(R.size.compressed)], ['uncompressed', human(R.size.uncompressed)],
   ['files', R.files.total], ['layers', R.layers.length], ['packages', R.packages.length],
   ['warnings', R.warnings.length]].forEach(function (c) {
    var d = el('div', {'class': 'card'});
    d.appendChild(el('div', {'class': 'v'}, c[1])); d.appendChild(el('div', {'class': 'k'}, c[0]));
    cards.appendChild(d);
  });
  var wl = document.getElementById('warnings');
  wl.textContent = '';
  if (!R.warnings.length) wl.appendChild(el('p', {'class': 'muted'}, 'none'));
  else {
    var ul = el('ul', {'class': 'warnings'});
    R.warnings.forEach(function (w) { ul.appendChild(el('li', {'class': 'warn'}, w.code + ': ' + w.message)); });
    wl.appendChild(ul);
  }

  drawMap('dir-map', 'dir-crumbs', T, function (stack) {
    return '/' + stack.slice(1).map(function (n) { return n.name; }).join('/');
  });
  var pkgRoot = {name: 'packages', size: 0, children: R.packages.map(function (p) {
    return {name: p.name + ' ' + p.version, size: p.installed_size};
  })};
  pkgRoot.children.forEach(function (c) { pkgRoot.size += c.size; });
  if (!R.packages.length) {
    document.getElementById('pkg-map').textContent = '';
    document.getElementById('pkg-map').appendChild(el('p', {'class': 'muted', 'style': 'padding:12px'}, 'no dpkg database in this image'));
  } else {
    drawMap('pkg-map', 'pkg-crumbs', pkgRoot, function () { return 'installed size'; });
  }

  table('layers', [['#', 'index', 'num'], ['packages', function (l) { return (l.packages || []).join(', '); }],
    ['digest', 'digest', 'mono'], ['compressed', 'compressed_size', 'size'],
    ['uncompressed', 'uncompressed_size', 'size'], ['entries', 'entries', 'num'],
    ['adds', function (l) { return l.adds.map(function (a) { return a.path + ' ' + human(a.bytes); }).join(', '); }],
    ['replaces', 'replaced', 'num'], ['removes', 'removed', 'num'],
    ['created by', function (l) { return l.created_by || ''; }]], R.layers, 'no layers');
  var C = R.config;
  kv('config', [['user', C.user || '(root)'], ['workdir', C.workdir || '/'], ['entrypoint', show(C.entrypoint)],
    ['cmd', show(C.cmd)], ['env', C.env.join('\n')], ['ports', show(C.exposed_ports)],
    ['labels', Object.keys(C.labels).map(function (k) { return k + '=' + C.labels[k]; }).join('\n')],
    ['created', C.created]]);
  var ca = R.ca_bundle, tz = R.timezones, sl = R.shared_libraries, ns = R.nsswitch;
  kv('system', [['os', R.os ? show(R.os.pretty_name) + ' (' + show(R.os.id) + ' ' + show(R.os.version_id) + ')' : 'no os-release'],
    ['CA bundle', ca ? ca.certificates + ' certificates, earliest expiry ' + show(ca.earliest_expiry) : 'none'],
    ['time zones', tz.count + (tz.has_utc ? ' (UTC present)' : '')],
    ['shared libraries', sl.count + ', glibc ' + show(sl.glibc_version)],
    ['nsswitch', ns ? Object.keys(ns.databases).map(function (k) { return k + ': ' + ns.databases[k]; }).join('\n') : 'absent']]);
  table('users', [['name', 'name'], ['uid', 'uid', 'num'], ['gid', 'gid', 'num'], ['home', 'home', 'mono'],
    ['home exists', function (u) { return u.home_exists ? 'yes' : 'no'; }], ['shell', 'shell', 'mono']],
    R.accounts.users, 'no /etc/passwd');
  table('groups', [['name', 'name'], ['gid', 'gid', 'num'], ['members', function (g) { return g.members.join(', '); }]],
    R.accounts.groups, 'no /etc/group');
  table('skeleton', [['path', 'path', 'mono'], ['type', 'type'], ['mode', 'mode', 'mono'],
    ['owner', function (d) { return d.exists ? d.uid + ':' + d.gid : ''; }], ['link', 'link', 'mono']],
    R.skeleton.filter(function (d) { return d.exists; }));
  document.getElementById('packages-title').textContent = 'Packages (' + R.packages.length + ')';
  table('packages', [['name', 'name'], ['version', 'version', 'mono'], ['arch', 'architecture'],
    ['installed size', 'installed_size', 'size'], ['licenses', function (p) { return p.licenses ? p.licenses.join(', ') : '(no copyright file)'; }]],
    R.packages, 'no dpkg database');
  table('largest-files', [['size', 'size', 'size'], ['path', 'path', 'mono'], ['layer', 'layer', 'num']], R.largest.files);
  table('largest-dirs', [['size', 'size', 'size'], ['path', 'path', 'mono'], ['files', 'files', 'num']], R.largest.directories);
})();
